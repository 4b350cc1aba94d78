using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Tests.Runtime;

/// <summary>What standby and the overload stages ask of a pool: giving cached pages back, and one call back per crossing.</summary>
public sealed unsafe class BlockPoolReleaseTests
{
    [Fact]
    public void Released_blocks_leave_the_cached_figure_and_come_back_zeroed_when_rented()
    {
        using var pool = new BlockPool(BlockPool.DefaultBlockSize);
        var blocks = Enumerable.Range(0, 4).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(b => new Span<byte>(b.Memory, b.Capacity).Fill(0x5A));
        blocks.ForEach(pool.Return);
        var cached = pool.CachedBytes;

        var released = pool.ReleaseCached();

        Assert.Equal(cached, released);
        Assert.Equal(0, pool.CachedBytes);
        Assert.Equal(released, pool.ReleasedBytes);
        Assert.Equal(0, pool.ReleaseCached());
        var again = pool.Rent();
        Assert.Equal(released - pool.BlockSize, pool.ReleasedBytes);
        Assert.True(new Span<byte>(again.Memory, again.Capacity).IndexOfAnyExcept((byte)0) < 0, "a released block came back with old bytes");
        pool.Return(again);
        Assert.Equal(pool.BlockSize, pool.CachedBytes);
    }

    [Fact]
    public void The_watch_calls_back_once_past_either_mark_then_disarms()
    {
        using var pool = new BlockPool(1024);
        var calls = 0;
        pool.Watch(lower: 1, upper: 2, () => calls++);
        var a = pool.Rent();
        var b = pool.Rent();
        Assert.Equal(0, calls);
        var c = pool.Rent();
        Assert.Equal(1, calls);
        var d = pool.Rent();
        pool.Return(d);
        pool.Return(c);
        pool.Return(b);
        pool.Return(a);
        Assert.Equal(1, calls);

        pool.Watch(lower: 1, upper: 10, () => calls++);
        var e = pool.Rent();
        pool.Return(pool.Rent());
        Assert.Equal(1, calls);
        pool.Return(e);
        Assert.Equal(2, calls);
    }
}
