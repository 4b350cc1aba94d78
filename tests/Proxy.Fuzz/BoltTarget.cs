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
        if (result.Status != RpcReadStatus.Complete)
        {
            return;
        }

        Invariant.Holds(frame.Length <= input.Length && frame.HeaderOffset + frame.HeaderLength <= frame.Length && frame.ContentOffset + frame.ContentLength <= frame.Length, "a frame's parts lie inside it");
        var headers = input.Slice(frame.HeaderOffset, frame.HeaderLength);
        var visitor = default(CountingVisitor);
        _ = Codec.VisitHeaders(headers, ref visitor);
        _ = Codec.TryGetRouteNames(headers, out _, out _);

        var copy = input[..frame.Length].ToArray();
        if (Codec.TrySetRequestId(copy, frame, 0x01020304))
        {
            Invariant.Holds(Codec.ReadFrame(copy, out var rewritten).Status == RpcReadStatus.Complete && rewritten.RequestId == 0x01020304, "a rewritten id reads back");
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
