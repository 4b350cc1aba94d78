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
    /// <summary>
    /// Reads the frame that starts <paramref name="offset"/> bytes into <paramref name="chain"/> (after
    /// an open <see cref="RpcFrameRun"/>), which holds more than that. Only from the head block: a frame
    /// there that goes on into the next block (or one that starts past the head block) reads as
    /// need-more-data with <paramref name="split"/> set, and is read again from the chain's front once
    /// the run ahead of it has moved (at offset 0 a frame that goes on is read across the blocks).
    /// </summary>
    /// <remarks>
    /// One call of the codec's span reader whatever the offset, so that a codec whose reader is
    /// inlined is inlined once per loop; the front frame that goes on past the head block is read
    /// from the chain out of line.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RpcReadResult Read<TCodec>(in TCodec codec, BlockChain chain, long offset, out RpcFrameInfo frame, out bool split, RpcFrameCheck check = RpcFrameCheck.Whole)
        where TCodec : struct, IRpcCodec
    {
        var head = chain.Head!;
        var rest = head.Length - offset;
        RpcReadResult result;
        if (rest > 0)
        {
            result = codec.ReadFrame(head.Readable[(int)offset..], out frame, check);
            if (result.Status != RpcReadStatus.NeedMoreData || chain.Length <= head.Length)
            {
                split = false;
                return result;
            }
        }
        else
        {
            frame = default;
            result = RpcReadResult.NeedMoreData();
        }

        if (offset == 0)
        {
            // The front frame (or its fixed header) goes on in the next block.
            split = false;
            return ReadFromChain(codec, chain, out frame, check);
        }

        split = true;
        return result;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RpcReadResult ReadFromChain<TCodec>(in TCodec codec, BlockChain chain, out RpcFrameInfo frame, RpcFrameCheck check)
        where TCodec : struct, IRpcCodec =>
        codec.ReadFrame(chain.AsSequence(), out frame, check);

    /// <summary>
    /// The <paramref name="length"/> bytes <paramref name="offset"/> bytes into <paramref name="chain"/>
    /// as one span when they lie in the head block, else empty. A frame read at an offset always lies
    /// there (<see cref="Read{TCodec}(in TCodec, BlockChain, long, out RpcFrameInfo, out bool)"/>).
    /// Returned, not an out parameter: an out span went through the stack as an 8-byte and a 4-byte
    /// store and was read back as two 8-byte loads, a store-forwarding stall on every frame.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<byte> HeadSlice(BlockChain chain, long offset, int length)
    {
        var head = chain.Head!;
        return head.Length - offset >= length ? head.Readable.Slice((int)offset, length) : default;
    }

    /// <summary>
    /// Rewrites the request id of the frame that starts <paramref name="offset"/> bytes into
    /// <paramref name="chain"/>, in place: in the head block, where a frame read at an offset lies, or
    /// (at offset 0 only) across blocks. Inlined, with the codec's span rewrite: per frame it was two
    /// calls and their argument copies around a store of four bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TrySetRequestId<TCodec>(in TCodec codec, BlockChain chain, long offset, in RpcFrameInfo frame, ulong requestId)
        where TCodec : struct, IRpcCodec
    {
        var bytes = HeadSlice(chain, offset, frame.Length);
        return !bytes.IsEmpty
            ? codec.TrySetRequestId(bytes, frame, requestId)
            : offset == 0 && TrySetSplitRequestId(codec, chain, frame, requestId);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TrySetSplitRequestId<TCodec>(in TCodec codec, BlockChain chain, in RpcFrameInfo frame, ulong requestId)
        where TCodec : struct, IRpcCodec =>
        codec.TrySetRequestId(chain.AsSequence().Slice(0, frame.Length), frame, requestId);
}
