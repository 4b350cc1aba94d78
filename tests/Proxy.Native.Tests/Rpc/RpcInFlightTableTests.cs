using MeshEdge.Native.Rpc;

namespace MeshEdge.Native.Tests.Rpc;

/// <summary>The upstream connection's id-indexed table of requests in flight.</summary>
public class RpcInFlightTableTests
{
    [Fact]
    public void Ids_count_up_from_one_and_find_their_request()
    {
        var table = new RpcInFlightTable(4);
        int[] calls = [10, 0, 12];
        var ids = calls.Select(call =>
        {
            var id = table.NextId(uint.MaxValue);
            table.Add(id, call);
            return id;
        }).ToArray();

        Assert.Equal([1UL, 2UL, 3UL], ids);
        Assert.Equal(3, table.Count);
        Assert.True(table.Remove(2, out var second));
        Assert.Equal(calls[1], second);
        Assert.False(table.Remove(2, out _));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void A_new_id_skips_slots_still_in_flight()
    {
        var table = new RpcInFlightTable(8);
        var early = table.NextId(uint.MaxValue);
        table.Add(early, 1);
        for (var i = 0; i < 7; i++)
        {
            // Ids 2..8 come and go; id 1 stays in flight.
            var id = table.NextId(uint.MaxValue);
            table.Add(id, 2);
            Assert.True(table.Remove(id, out _));
        }

        // Id 9 would share id 1's slot in a table of 8: it is skipped.
        var next = table.NextId(uint.MaxValue);
        Assert.NotEqual(early & 7, next & 7);
        Assert.True(table.Remove(early, out _));
    }

    [Fact]
    public void A_late_answer_for_an_id_whose_slot_was_reused_finds_nothing()
    {
        var table = new RpcInFlightTable(2);
        var first = table.NextId(uint.MaxValue);
        table.Add(first, 1);
        Assert.True(table.Remove(first, out _));
        var reused = first;
        while ((reused & 1) != (first & 1) || reused == first)
        {
            reused = table.NextId(uint.MaxValue);
        }

        table.Add(reused, 2);

        Assert.False(table.Remove(first, out _));
        Assert.True(table.Remove(reused, out var call));
        Assert.Equal(2, call);
    }

    [Fact]
    public void It_grows_and_keeps_every_request_under_its_id()
    {
        var table = new RpcInFlightTable(2);
        var byId = new Dictionary<ulong, int>();
        for (var n = 0; n < 1000; n++)
        {
            var id = table.NextId(uint.MaxValue);
            Assert.DoesNotContain(id, byId.Keys);
            byId[id] = n;
            table.Add(id, byId[id]);
        }

        Assert.Equal(1000, table.Count);
        foreach (var (id, call) in byId)
        {
            Assert.True(table.Remove(id, out var found));
            Assert.Equal(call, found);
        }

        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Ids_wrap_within_the_protocols_range_and_never_use_zero()
    {
        var table = new RpcInFlightTable(4);
        var seen = new List<ulong>();
        for (var n = 0; n < 7; n++)
        {
            var id = table.NextId(maxId: 3);
            seen.Add(id);
            table.Add(id, n);
            Assert.True(table.Remove(id, out _));
        }

        Assert.Equal([1UL, 2UL, 3UL, 1UL, 2UL, 3UL, 1UL], seen);
    }

    [Fact]
    public void AddNext_gives_the_id_NextId_then_Add_would_and_keeps_the_request_under_it()
    {
        // Two tables driven alike, one by the two calls, one by the combined one, through growth,
        // out-of-order answers and the id range's wrap.
        var apart = new RpcInFlightTable(2);
        var combined = new RpcInFlightTable(2);
        var random = new Random(21);
        var inFlight = new List<ulong>();
        for (var n = 0; n < 5000; n++)
        {
            if (inFlight.Count >= 300 || (inFlight.Count > 0 && random.Next(2) == 0))
            {
                var at = random.Next(inFlight.Count);
                var answered = inFlight[at];
                inFlight.RemoveAt(at);
                Assert.True(apart.Remove(answered, out var expected));
                Assert.True(combined.Remove(answered, out var found));
                Assert.Equal(expected, found);
                continue;
            }

            var id = apart.NextId(maxId: 700);
            apart.Add(id, n);
            Assert.Equal(id, combined.AddNext(n, maxId: 700));
            inFlight.Add(id);
        }

        Assert.Equal(apart.Count, combined.Count);
    }

    [Fact]
    public void Moving_everything_out_empties_the_table()
    {
        var table = new RpcInFlightTable(4);
        var calls = Enumerable.Range(0, 10).ToList();
        foreach (var call in calls)
        {
            table.Add(table.NextId(uint.MaxValue), call);
        }

        var moved = new List<int>();
        table.MoveAllTo(moved);

        Assert.Equal(0, table.Count);
        Assert.Equal(calls, moved.Order());
        Assert.False(table.Remove(1, out _));
    }
}
