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
    private int _releasedBlocks;
    private int _upperMark = int.MaxValue;
    private int _lowerMark = int.MinValue;
    private Action? _levelCrossed;

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

    /// <summary>Bytes of the blocks back in the pool and still resident, kept for reuse.</summary>
    public long CachedBytes => (long)(Allocated - Outstanding - _releasedBlocks) * BlockSize;

    /// <summary>Bytes of the blocks back in the pool whose pages went back to the OS (<see cref="ReleaseCached"/>).</summary>
    public long ReleasedBytes => (long)_releasedBlocks * BlockSize;

    /// <summary>
    /// Calls <paramref name="crossed"/> once when the blocks rented rise above <paramref name="upper"/>
    /// or fall below <paramref name="lower"/>, then disarms: the overload stages re-arm it around the
    /// level they settle at. One compare per rent or return; the callback must not touch connections
    /// (it runs in the middle of a read or a send), only note that a check is due.
    /// </summary>
    public void Watch(int lower, int upper, Action crossed)
    {
        _lowerMark = lower;
        _upperMark = upper;
        _levelCrossed = crossed;
    }

    /// <summary>
    /// Gives the pages of every cached block back to the OS (madvise MADV_DONTNEED) and keeps the blocks:
    /// the address range stays the pool's, so a block rented later is simply faulted in again, zeroed.
    /// A slab is never freed before exit (its blocks may be rented by any connection), but its untouched
    /// pages cost nothing. Returns the bytes released.
    /// </summary>
    public long ReleaseCached()
    {
        long released = 0;
        foreach (var block in _free)
        {
            if (!block.Released && PageRelease.Release(block.Memory, BlockSize))
            {
                block.Released = true;
                _releasedBlocks++;
                released += BlockSize;
            }
        }

        return released;
    }

    public BufferBlock Rent()
    {
        if (!_free.TryPop(out var block))
        {
            AddSlab();
            block = _free.Pop();
        }

        block.InPool = false;
        if (block.Released)
        {
            block.Released = false;
            _releasedBlocks--;
        }

        if (++Outstanding > _upperMark)
        {
            Crossed();
        }

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
        if (--Outstanding < _lowerMark)
        {
            Crossed();
        }

        _free.Push(block);
    }

    private void Crossed()
    {
        _upperMark = int.MaxValue;
        _lowerMark = int.MinValue;
        _levelCrossed?.Invoke();
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
