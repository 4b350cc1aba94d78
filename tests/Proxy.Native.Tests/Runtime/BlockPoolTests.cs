using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Tests.Runtime;

public sealed class BlockPoolTests
{
    [Fact]
    public void Rent_and_return_track_outstanding_blocks()
    {
        using var pool = new BlockPool(1024, diagnostic: true);
        var a = pool.Rent();
        var b = pool.Rent();
        Assert.Equal(2, pool.Outstanding);
        Assert.Equal(1024, a.Capacity);
        pool.Return(a);
        pool.Return(b);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Double_return_is_caught()
    {
        using var pool = new BlockPool(1024, diagnostic: true);
        var block = pool.Rent();
        pool.Return(block);
        var error = Assert.Throws<InvalidOperationException>(() => pool.Return(block));
        Assert.Contains("double return", error.Message);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public unsafe void Diagnostic_pool_poisons_returned_memory()
    {
        using var pool = new BlockPool(64, diagnostic: true);
        var block = pool.Rent();
        block.Memory[0] = 42;
        block.End = 1;
        pool.Return(block);
        Assert.Equal(0xDD, block.Memory[0]);
        Assert.Equal(0, block.End);
    }

    [Fact]
    public void Pool_grows_by_slabs_and_reuses_returned_blocks()
    {
        using var pool = new BlockPool(256);
        var rented = Enumerable.Range(0, 40).Select(_ => pool.Rent()).ToList();
        Assert.True(pool.Allocated >= 40);
        var allocated = pool.Allocated;
        rented.ForEach(pool.Return);
        for (var i = 0; i < 40; i++)
        {
            pool.Return(pool.Rent());
        }

        Assert.Equal(allocated, pool.Allocated);
    }
}
