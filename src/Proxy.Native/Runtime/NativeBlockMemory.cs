using System.Buffers;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// Exposes one block's native memory as <see cref="Memory{T}"/>, so a chain can be read as a
/// <see cref="ReadOnlySequence{T}"/> by code written for managed buffers (the HTTP and RPC parsers).
/// Made once per block when its slab is created; native memory never moves, so pinning is free.
/// </summary>
internal sealed unsafe class NativeBlockMemory(byte* memory, int capacity) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => new(memory, capacity);

    public override MemoryHandle Pin(int elementIndex = 0) => new(memory + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
