using System.Buffers;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// The <see cref="ReadOnlySequenceSegment{T}"/> of one block, re-pointed at the block's readable bytes
/// each time a sequence is built over its chain (<see cref="BlockSequence"/>). One per block, made once.
/// </summary>
internal sealed class BlockSegment : ReadOnlySequenceSegment<byte>
{
    private readonly NativeBlockMemory _memory;

    public BlockSegment(BufferBlock block)
    {
        _memory = new NativeBlockMemory(block);
    }

    /// <summary>Points the segment at [start, end) of its block, as the last one so far.</summary>
    public void Set(int start, int end, long runningIndex)
    {
        Memory = _memory.Memory[start..end];
        RunningIndex = runningIndex;
        Next = null;
    }

    public void Link(BlockSegment next) => Next = next;
}
