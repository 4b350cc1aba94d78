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
    }

    public byte* Memory { get; }

    public int Capacity { get; }

    public int Start;

    public int End;

    public BufferBlock? Next;

    private BlockSegment? _segment;

    /// <summary>Set while the block sits in its pool; the diagnostic pool uses it to catch double returns.</summary>
    public bool InPool;

    public int Length => End - Start;

    public int Free => Capacity - End;

    public byte* ReadPointer => Memory + Start;

    public byte* WritePointer => Memory + End;

    public Span<byte> Readable => new(Memory + Start, End - Start);

    /// <summary>This block's sequence segment, made on first use and kept for the block's life.</summary>
    public BlockSegment Segment => _segment ??= new BlockSegment(this);

    public void Reset()
    {
        Start = 0;
        End = 0;
        Next = null;
    }
}
