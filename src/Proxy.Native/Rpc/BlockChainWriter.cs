using System.Buffers;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over an empty chain, for the small frames the proxy writes itself
/// (heartbeat replies, error responses); the caller then hands the chain to a connection. One per
/// worker context, reused, so writing a reply allocates nothing.
/// </summary>
internal sealed unsafe class BlockChainWriter(BlockPool pool) : IBufferWriter<byte>
{
    public BlockChain Chain { get; } = new();

    public void Advance(int count) => Chain.Commit(count);

    public Memory<byte> GetMemory(int sizeHint = 0) =>
        throw new NotSupportedException("the codecs write through GetSpan");

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        var tail = Chain.GetWritableTail(pool);
        if (tail.Free < sizeHint)
        {
            // Frames the proxy originates are a few dozen bytes; a block always holds one.
            throw new InvalidOperationException($"reply of {sizeHint} bytes does not fit a block");
        }

        return new Span<byte>(tail.WritePointer, tail.Free);
    }
}
