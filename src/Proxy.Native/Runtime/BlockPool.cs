using System.Runtime.InteropServices;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// A worker's pool of fixed-size native blocks. Single-threaded by design: only the owning worker
/// rents and returns, so there are no locks. Memory comes in slabs that are touched (and so counted
/// in RSS) only when a block is first written.
/// </summary>
internal sealed unsafe class BlockPool : IDisposable
{
    public const int DefaultBlockSize = 16 * 1024;
    private const int BlocksPerSlab = 16;

    private readonly List<nint> _slabs = [];
    private readonly Stack<BufferBlock> _free = new();
    private readonly bool _diagnostic;

    public BlockPool(int blockSize = DefaultBlockSize, bool diagnostic = false)
    {
        BlockSize = blockSize;
        _diagnostic = diagnostic;
    }

    public int BlockSize { get; }

    /// <summary>Blocks rented and not yet returned: zero when every connection is closed.</summary>
    public int Outstanding { get; private set; }

    public int Allocated => _slabs.Count * BlocksPerSlab;

    /// <summary>Bytes of the blocks rented now. Read by the admin thread: a moment old at worst.</summary>
    public long InUseBytes => (long)Outstanding * BlockSize;

    /// <summary>Bytes of the blocks allocated and back in the pool, kept for reuse (never freed before exit).</summary>
    public long CachedBytes => (long)(Allocated - Outstanding) * BlockSize;

    public BufferBlock Rent()
    {
        if (!_free.TryPop(out var block))
        {
            AddSlab();
            block = _free.Pop();
        }

        block.InPool = false;
        Outstanding++;
        return block;
    }

    public void Return(BufferBlock block)
    {
        if (block.InPool)
        {
            // Always a bug: two owners believed they held the block.
            throw new InvalidOperationException("buffer pool double return");
        }

        if (_diagnostic)
        {
            // Poison returned memory so a stale reader sees garbage, not plausible bytes.
            new Span<byte>(block.Memory, block.Capacity).Fill(0xDD);
        }

        block.Reset();
        block.InPool = true;
        Outstanding--;
        _free.Push(block);
    }

    /// <summary>Returns a whole chain starting at <paramref name="head"/>.</summary>
    public void ReturnChain(BufferBlock? head)
    {
        while (head is not null)
        {
            var next = head.Next;
            Return(head);
            head = next;
        }
    }

    private void AddSlab()
    {
        var slab = (byte*)NativeMemory.AlignedAlloc((nuint)(BlockSize * BlocksPerSlab), 4096);
        _slabs.Add((nint)slab);
        for (var i = BlocksPerSlab - 1; i >= 0; i--)
        {
            _free.Push(new BufferBlock(slab + (i * BlockSize), BlockSize) { InPool = true });
        }
    }

    public void Dispose()
    {
        foreach (var slab in _slabs)
        {
            NativeMemory.AlignedFree((void*)slab);
        }

        _slabs.Clear();
        _free.Clear();
    }
}
