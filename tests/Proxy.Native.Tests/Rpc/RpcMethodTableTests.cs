using MeshEdge.Native.Rpc;

namespace MeshEdge.Native.Tests.Rpc;

public sealed class RpcMethodTableTests
{
    [Fact]
    public void A_pair_is_interned_once_and_found_again_by_its_bytes()
    {
        var table = new RpcMethodTable();

        var first = table.Find("com.foo.Echo:1.0"u8, "echo"u8);
        var again = table.Find("com.foo.Echo:1.0"u8, "echo"u8);
        var other = table.Find("com.foo.Echo:1.0"u8, "shout"u8);

        Assert.Same(first, again);
        Assert.NotSame(first, other);
        Assert.Equal(("com.foo.Echo:1.0", "echo"), (first.Service, first.Method));
        Assert.Equal(2, table.Count);
        Assert.Same(other, table[1]);
    }

    [Fact]
    public void The_split_between_service_and_method_is_part_of_the_key()
    {
        var table = new RpcMethodTable();

        var a = table.Find("ab"u8, "c"u8);
        var b = table.Find("a"u8, "bc"u8);

        Assert.NotSame(a, b);
    }

    [Fact]
    public void Alternating_pairs_each_find_their_own_entry()
    {
        var table = new RpcMethodTable();
        var a = table.Find("s"u8, "a"u8);
        var b = table.Find("s"u8, "b"u8);

        for (var i = 0; i < 3; i++)
        {
            Assert.Same(a, table.Find("s"u8, "a"u8));
            Assert.Same(a, table.Find("s"u8, "a"u8));
            Assert.Same(b, table.Find("s"u8, "b"u8));
        }

        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Missing_names_are_labelled_with_a_dash()
    {
        var table = new RpcMethodTable();

        var stats = table.Find("svc"u8, default);

        Assert.Equal(("svc", "-"), (stats.Service, stats.Method));
    }

    [Fact]
    public void Pairs_past_the_limit_share_the_overflow_entry()
    {
        var table = new RpcMethodTable();
        for (var i = 0; i < RpcMethodTable.MaxMethods; i++)
        {
            table.Find(System.Text.Encoding.UTF8.GetBytes($"svc{i}"), "m"u8);
        }

        var late = table.Find("late"u8, "m"u8);
        var known = table.Find("svc7"u8, "m"u8);

        Assert.Same(table.Overflow, late);
        Assert.Equal(("other", "other"), (late.Service, late.Method));
        Assert.Equal("svc7", known.Service);
        Assert.Equal(RpcMethodTable.MaxMethods, table.Count);
    }

    [Fact]
    public void Statuses_and_durations_land_in_their_slots()
    {
        var stats = new RpcMethodStats("s", "m");

        stats.RecordResponse(0, 80);       // 0.08 ms: first bucket (<= 0.1 ms)
        stats.RecordResponse(7, 100);      // exactly on the bound: still the first bucket
        stats.RecordResponse(0, 3_000);    // 3 ms: the 5 ms bucket
        stats.RecordResponse(300, 20_000_000); // beyond every bound and every status slot

        Assert.Equal(2, stats.Statuses[0]);
        Assert.Equal(1, stats.Statuses[7]);
        Assert.Equal(1, stats.Statuses[RpcMethodStats.StatusSlots - 1]);
        Assert.Equal("other", RpcMethodStats.StatusLabel(RpcMethodStats.StatusSlots - 1));
        Assert.Equal("7", RpcMethodStats.StatusLabel(7));
        Assert.Equal(2, stats.DurationBuckets[0]);
        Assert.Equal(1, stats.DurationBuckets[Array.IndexOf(RpcMethodStats.DurationBucketsMs, 5.0)]);
        Assert.Equal(1, stats.DurationBuckets[^1]);
        Assert.Equal(20_003_180, stats.DurationMicrosSum);
    }

    [Fact]
    public void Merging_adds_every_counter()
    {
        var a = new RpcMethodStats("s", "m") { Requests = 2 };
        a.RecordResponse(0, 50);
        var b = new RpcMethodStats("s", "m") { Requests = 3 };
        b.RecordResponse(0, 50);
        b.RecordResponse(6, 50);

        a.Add(b);

        Assert.Equal(5, a.Requests);
        Assert.Equal(2, a.Statuses[0]);
        Assert.Equal(1, a.Statuses[6]);
        Assert.Equal(3, a.DurationBuckets[0]);
        Assert.Equal(150, a.DurationMicrosSum);
    }
}
