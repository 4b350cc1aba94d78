using System.Runtime.CompilerServices;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// One fixed-size block of native memory from a worker's <see cref="BlockPool"/>. Bytes live in
/// [Start, End); a block is in exactly one chain (or the pool) at a time, linked through Next.
/// Native memory never moves, so its address goes straight into an iovec.
/// </summary>
internal sealed unsafe class BufferBlock
{
    public BufferBlock(byte* memory, int capacity)
    {
        Memory = memory;
        Capacity = capacity;
        Segment = new BlockSegment(new NativeBlockMemory(memory, capacity));
    }

    /// <summary>This block's link when its chain is read as a sequence (see <see cref="BlockChain.AsSequence"/>).</summary>
    public BlockSegment Segment { get; }

    public byte* Memory { get; }

    public int Capacity { get; }

    public int Start;

    public int End;

    public BufferBlock? Next;

    /// <summary>Set while the block sits in its pool; the diagnostic pool uses it to catch double returns.</summary>
    public bool InPool;

    /// <summary>Set while the block sits in its pool with its pages given back to the OS.</summary>
    public bool Released;

    public int Length => End - Start;

    public int Free => Capacity - End;

    public byte* ReadPointer => Memory + Start;

    public byte* WritePointer => Memory + End;

    /// <summary>Inlined by request: the AOT compiler left this a call, paid once or twice per frame.</summary>
    public Span<byte> Readable
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Memory + Start, End - Start);
    }

    public Span<byte> WritableSpan => new(Memory + End, Capacity - End);

    public void Reset()
    {
        Start = 0;
        End = 0;
        Next = null;
    }
}
