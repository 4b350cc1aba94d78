using MeshEdge.Codecs.Bolt;
using MeshEdge.Native.Rpc;

namespace MeshEdge.Native.Tests.Rpc;

/// <summary>The worker context's request records, linked by index: the free list, growth, and indexes that stay put.</summary>
public sealed class RpcRequestRecordsTests
{
    [Fact]
    public void A_returned_record_is_the_next_one_rented_and_keeps_its_index()
    {
        var records = new RpcRequestRecords<BoltCodec>();
        var a = records.Rent();
        var b = records.Rent();
        Assert.Equal((0, 1), (a.Index, b.Index));
        Assert.Same(a, records[0]);
        Assert.Same(b, records[1]);

        b.Reset();
        records.Return(b);
        a.Reset();
        records.Return(a);
        Assert.Equal((2, 2), (records.Count, records.FreeCount));

        // Last in, first out, and no new record while one is free.
        Assert.Same(a, records.Rent());
        Assert.Same(b, records.Rent());
        Assert.Equal((2, 0), (records.Count, records.FreeCount));
        Assert.Equal(RpcRequestRecords<BoltCodec>.None, a.SessionNext);
    }

    [Fact]
    public void Growing_keeps_every_record_at_its_index()
    {
        var records = new RpcRequestRecords<BoltCodec>();
        var rented = Enumerable.Range(0, 1000).Select(_ => records.Rent()).ToList();

        Assert.Equal(1000, records.Count);
        for (var i = 0; i < rented.Count; i++)
        {
            Assert.Equal(i, rented[i].Index);
            Assert.Same(rented[i], records[i]);
        }

        // Every other one back, then rent as many: the same objects come back, and nothing is made.
        for (var i = 0; i < rented.Count; i += 2)
        {
            rented[i].Reset();
            records.Return(rented[i]);
        }

        var again = Enumerable.Range(0, 500).Select(_ => records.Rent()).ToHashSet();
        Assert.Equal(1000, records.Count);
        Assert.Equal(rented.Where((_, i) => i % 2 == 0).ToHashSet(), again);
    }

    [Fact]
    public void Spares_are_rented_last_in_first_out_apart_from_the_free_list_and_all_given_back()
    {
        var records = new RpcRequestRecords<BoltCodec>();
        var a = records.Rent();
        var b = records.Rent();
        var c = records.Rent();
        var spares = RpcRequestRecords<BoltCodec>.None;
        records.Return(c);
        records.PutSpare(ref spares, a);
        records.PutSpare(ref spares, b);

        // Spares are not free: the free list holds c alone.
        Assert.Equal(1, records.FreeCount);
        Assert.Same(b, records.TakeSpare(ref spares));
        records.PutSpare(ref spares, b);

        // The owner ends: every spare goes back to the free list, the list is empty, nothing is lost.
        records.ReturnSpares(ref spares);
        Assert.Equal(RpcRequestRecords<BoltCodec>.None, spares);
        Assert.Equal((3, 3), (records.Count, records.FreeCount));
        Assert.Equal(new HashSet<object> { a, b, c }, new HashSet<object> { records.Rent(), records.Rent(), records.Rent() });
        Assert.Equal(3, records.Count);
    }

    [Fact]
    public void A_new_record_starts_reset_and_unlinked()
    {
        var request = new RpcRequestRecords<BoltCodec>().Rent();

        Assert.Equal(RpcRequestState.Free, request.State);
        Assert.Equal(-1, request.ClusterIndex);
        Assert.Equal((RpcRequestRecords<BoltCodec>.None, RpcRequestRecords<BoltCodec>.None), (request.SessionPrevious, request.SessionNext));
        Assert.Null(request.Session);
    }
}
