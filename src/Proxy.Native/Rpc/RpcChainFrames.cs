using System.Runtime.CompilerServices;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// Frames at the start of a connection's block chain, read and patched through the codec: from the
/// head block as a span when the frame lies in it (a 16 KiB block holds many small frames, so that
/// is nearly every frame), else from the chain as a sequence. Both give the same answers; the span
/// path only skips the sequence's bookkeeping, which on small frames cost more than the parsing.
/// </summary>
internal static class RpcChainFrames
{
    /// <summary>Reads the frame that starts <paramref name="chain"/>, which must not be empty (<paramref name="check"/>: see <see cref="RpcFrameCheck"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RpcReadResult Read<TCodec>(in TCodec codec, BlockChain chain, out RpcFrameInfo frame, RpcFrameCheck check = RpcFrameCheck.Whole)
        where TCodec : struct, IRpcCodec
    {
        var head = chain.Head!.Readable;
        var result = codec.ReadFrame(head, out frame, check);
        if (result.Status == RpcReadStatus.NeedMoreData && chain.Length > head.Length)
        {
            // The frame (or its fixed header) goes on in the next block.
            result = codec.ReadFrame(chain.AsSequence(), out frame, check);
        }

        return result;
    }

    /// <summary>
    /// The first <paramref name="length"/> bytes of <paramref name="chain"/> as one span when they lie
    /// in the head block, else empty (a frame is never empty). Returned, not an out parameter: an out
    /// span went through the stack as an 8-byte and a 4-byte store and was read back as two 8-byte
    /// loads, a store-forwarding stall on every frame.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<byte> HeadSlice(BlockChain chain, int length)
    {
        var head = chain.Head!;
        return head.Length >= length ? head.Readable[..length] : default;
    }

    /// <summary>
    /// Rewrites the request id of the frame that starts <paramref name="chain"/>, in place. Inlined, with
    /// the codec's span rewrite: per frame it was two calls and their argument copies around a store
    /// of four bytes. A frame split across blocks takes the sequence path, out of line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TrySetRequestId<TCodec>(in TCodec codec, BlockChain chain, in RpcFrameInfo frame, ulong requestId)
        where TCodec : struct, IRpcCodec
    {
        var bytes = HeadSlice(chain, frame.Length);
        return !bytes.IsEmpty
            ? codec.TrySetRequestId(bytes, frame, requestId)
            : TrySetSplitRequestId(codec, chain, frame, requestId);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TrySetSplitRequestId<TCodec>(in TCodec codec, BlockChain chain, in RpcFrameInfo frame, ulong requestId)
        where TCodec : struct, IRpcCodec =>
        codec.TrySetRequestId(chain.AsSequence().Slice(0, frame.Length), frame, requestId);
}
