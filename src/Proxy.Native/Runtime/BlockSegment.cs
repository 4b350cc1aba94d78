using System.Buffers;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// A block's link in a <see cref="ReadOnlySequence{T}"/>. Each block owns one, reused every time its
/// chain is viewed as a sequence, so building the view allocates nothing; the view is valid only
/// until the chain changes.
/// </summary>
internal sealed class BlockSegment : ReadOnlySequenceSegment<byte>
{
    private readonly NativeBlockMemory _memory;

    public BlockSegment(NativeBlockMemory memory) => _memory = memory;

    public void Set(int start, int length, long runningIndex, BlockSegment? next)
    {
        Memory = _memory.Memory.Slice(start, length);
        RunningIndex = runningIndex;
        Next = next;
    }

    public ReadOnlyMemory<byte> Slice(int start, int length) => _memory.Memory.Slice(start, length);
}
