using System.Buffers;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// Lets the codecs' writers (which speak <see cref="IBufferWriter{T}"/>) append straight into a
/// block chain: spans are handed out from the tail block, a fresh pooled block when the tail is
/// full. A request for more than one block can hold (a very long header line) is served from a
/// rented array and copied across blocks on <see cref="Advance"/>. One per session, re-pointed
/// with <see cref="Target"/>; it holds no bytes of its own between calls.
/// </summary>
internal sealed class BlockChainWriter(BlockPool pool) : IBufferWriter<byte>
{
    private byte[]? _oversized;

    /// <summary>The chain written to.</summary>
    public BlockChain Target { get; set; } = null!;

    public void Advance(int count)
    {
        if (_oversized is { } scratch)
        {
            _oversized = null;
            Append(scratch.AsSpan(0, count));
            ArrayPool<byte>.Shared.Return(scratch);
            return;
        }

        Target.Commit(count);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        // The codecs use GetSpan only; Memory over native blocks would need the block's manager.
        _oversized = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, 256));
        return _oversized;
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (sizeHint > pool.BlockSize)
        {
            _oversized = ArrayPool<byte>.Shared.Rent(sizeHint);
            return _oversized;
        }

        var tail = Target.GetWritableTail(pool);
        if (tail.Free < sizeHint)
        {
            tail = Target.AppendEmptyBlock(pool);
        }

        return tail.WritableSpan;
    }

    public void Append(ReadOnlySpan<byte> bytes) => Target.AppendCopy(bytes, pool);
}
