using System.Buffers;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// Exposes a block's native memory as <see cref="Memory{T}"/>, so that a chain of blocks can be read
/// by codecs as a <see cref="ReadOnlySequence{T}"/>. Made once per block for the block's life (blocks
/// are pooled), so building a sequence allocates nothing. Native memory never moves: pinning is a no-op.
/// </summary>
internal sealed unsafe class NativeBlockMemory(BufferBlock block) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => new(block.Memory, block.Capacity);

    public override MemoryHandle Pin(int elementIndex = 0) => new(block.Memory + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
