using MeshEdge.Codecs.Http2.Connection;

namespace MeshEdge.Codecs.Tests.Http2.Connection;

public class Http2StreamTableTests
{
    [Fact]
    public void Streams_are_found_by_id_through_adds_and_removes_in_any_order()
    {
        // Ids 32 apart share a home bucket in a 16-slot index (capacity 8): probe runs form, wrap
        // the index's end, and lose members from their middle as streams close in any order.
        const int Capacity = 8;
        var table = new Http2StreamTable(Capacity, closedMemory: 4);
        var live = new List<uint>();
        var random = new Random(18);
        uint[] pool = [1, 33, 65, 97, 3, 35, 31, 63, 95, 29, 61, 5, 7, 9, 41, 73];
        for (var step = 0; step < 5000; step++)
        {
            var candidate = pool[random.Next(pool.Length)];
            if (live.Contains(candidate))
            {
                var slot = table.Find(candidate);
                Assert.True(slot >= 0, $"step {step}: stream {candidate} is live but not found");
                table.Remove(slot, byOurReset: false);
                live.Remove(candidate);
            }
            else if (live.Count < Capacity)
            {
                table.Add(candidate, Http2StreamState.Open, 65535, 65535);
                live.Add(candidate);
            }

            Assert.Equal(live.Count, table.Count);
            foreach (var id in pool)
            {
                var slot = table.Find(id);
                if (live.Contains(id))
                {
                    Assert.True(slot >= 0 && table[slot].Id == id, $"step {step}: stream {id} maps to slot {slot}");
                }
                else
                {
                    Assert.Equal(-1, slot);
                }
            }
        }
    }

    [Fact]
    public void A_full_table_of_consecutive_ids_finds_each_and_none_other()
    {
        var table = new Http2StreamTable(100, closedMemory: 4);
        for (uint id = 1001; id < 1201; id += 2)
        {
            table.Add(id, Http2StreamState.Open, 65535, 65535);
        }

        for (uint id = 1001; id < 1201; id += 2)
        {
            Assert.Equal(id, table[table.Find(id)].Id);
        }

        Assert.Equal(-1, table.Find(999));
        Assert.Equal(-1, table.Find(1201));
        Assert.Equal(-1, table.Find(0));
    }
}
