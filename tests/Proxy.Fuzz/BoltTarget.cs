using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;

namespace MeshEdge.Fuzz;

/// <summary>
/// The input as Bolt frames: the span and the split-sequence readers agree, a complete frame's parts
/// lie inside it, its header map can be walked, and rewriting its id touches only the id.
/// </summary>
internal static class BoltTarget
{
    private static readonly BoltCodec Codec = new(maxFrameSize: 1 << 16);

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        _ = Codec.Detect(input);
        var result = Codec.ReadFrame(input, out var frame);
        var split = Codec.ReadFrame(SegmentedSequence.Split(input, input[0] % input.Length), out var splitFrame);
        Invariant.Holds(result.Status == split.Status && result.FrameLength == split.FrameLength && frame.Length == splitFrame.Length, "span and split sequence agree");
        LeavingRequestHeadersAgrees(input, result, frame);
        if (result.Status != RpcReadStatus.Complete)
        {
            return;
        }

        Invariant.Holds(frame.Length <= input.Length && frame.HeaderOffset + frame.HeaderLength <= frame.Length && frame.ContentOffset + frame.ContentLength <= frame.Length, "a frame's parts lie inside it");
        var headers = input.Slice(frame.HeaderOffset, frame.HeaderLength);
        var visitor = default(CountingVisitor);
        var walked = Codec.VisitHeaders(headers, ref visitor);
        Invariant.Holds(walked && Codec.ReadRouteNames(headers, out _, out _) != RpcRouteNames.Malformed, "a whole frame's header map is sound to every walk");

        var copy = input[..frame.Length].ToArray();
        if (Codec.TrySetRequestId(copy, frame, 0x01020304))
        {
            Invariant.Holds(Codec.ReadFrame(copy, out var rewritten).Status == RpcReadStatus.Complete && rewritten.RequestId == 0x01020304, "a rewritten id reads back");
        }
    }

    /// <summary>
    /// A read that leaves a request's header map to the router, followed by the router's walk, comes
    /// to what the whole read says: the same frame, or the header overrun the whole read found.
    /// </summary>
    private static void LeavingRequestHeadersAgrees(ReadOnlySpan<byte> input, RpcReadResult whole, in RpcFrameInfo wholeFrame)
    {
        var result = Codec.ReadFrame(input, out var frame, RpcFrameCheck.AllButRequestHeaders);
        var split = Codec.ReadFrame(SegmentedSequence.Split(input, input.Length / 2), out var splitFrame, RpcFrameCheck.AllButRequestHeaders);
        Invariant.Holds(result.Status == split.Status && result.FrameLength == split.FrameLength && frame.Length == splitFrame.Length, "span and split sequence agree when leaving request headers");
        if (result.Status != RpcReadStatus.Complete)
        {
            // A request whose map overruns and whose CRC is wrong too: only the second is seen.
            var sameReason = result.Reason == whole.Reason || (whole.Reason == RpcMalformedReason.HeaderOverrun && result.Reason == RpcMalformedReason.ChecksumMismatch);
            Invariant.Holds(result.Status == whole.Status && sameReason, "leaving request headers fails as the whole read does");
            return;
        }

        var isRequest = frame.Kind is RpcFrameKind.Request or RpcFrameKind.Oneway;
        var walk = Codec.ReadRouteNames(input.Slice(frame.HeaderOffset, frame.HeaderLength), out _, out _);
        if (whole.Status == RpcReadStatus.Complete)
        {
            Invariant.Holds(frame.Length == wholeFrame.Length && frame.Kind == wholeFrame.Kind && frame.RequestId == wholeFrame.RequestId && walk != RpcRouteNames.Malformed, "the same frame, and its map sound");
        }
        else
        {
            Invariant.Holds(isRequest && whole.Reason == RpcMalformedReason.HeaderOverrun && walk == RpcRouteNames.Malformed, "only a request's header overrun is left, and the router's walk finds it");
        }
    }

    private struct CountingVisitor : IRpcHeaderVisitor
    {
        public int Count;

        public bool OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
            Count++;
            return true;
        }
    }
}
