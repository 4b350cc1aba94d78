using System.Buffers;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;
using static MeshEdge.Codecs.Tests.Bolt.BoltTestFrames;

namespace MeshEdge.Codecs.Tests.Rpc;

/// <summary>
/// Drives a codec only through <see cref="IRpcCodec"/>, generically, the way an RPC session does:
/// frame, route on the service header, rewrite ids, answer heartbeats, fail what cannot be routed.
/// Also checks that those codec calls allocate nothing per frame. The session itself
/// (<c>RpcDownstreamSession</c>, with its sockets and pools) is measured in Proxy.Native.Tests,
/// RpcDownstreamSessionAllocationTests.
/// </summary>
public class GenericRpcPumpTests
{
    private struct PumpCounts
    {
        public int Frames;
        public int Routed;
        public int HeartbeatsAnswered;
        public int Failed;
        public int Forgotten;
        public int Responses;
        public RpcReadResult Last;
    }

    /// <summary>A stand-in for a session's frame loop, codec calls only: routes service <paramref name="knownService"/>, fails every other request.</summary>
    private static PumpCounts Pump<TCodec>(TCodec codec, ReadOnlySequence<byte> input, ReadOnlySpan<byte> knownService, IBufferWriter<byte> replies)
        where TCodec : struct, IRpcCodec
    {
        var counts = default(PumpCounts);
        Span<byte> scratch = stackalloc byte[1024];
        ulong nextUpstreamId = 1;
        while (true)
        {
            counts.Last = codec.ReadFrame(input, out var frame);
            if (counts.Last.Status != RpcReadStatus.Complete)
            {
                return counts;
            }

            counts.Frames++;
            var bytes = input.Slice(0, frame.Length);
            switch (frame.Kind)
            {
                case RpcFrameKind.HeartbeatRequest:
                    counts.HeartbeatsAnswered += codec.WriteHeartbeatReply(frame, replies) > 0 ? 1 : 0;
                    break;
                case RpcFrameKind.Request or RpcFrameKind.Oneway:
                    if (RpcFrameBytes.TryGetContiguous(bytes, frame.HeaderOffset, frame.HeaderLength, scratch, out var headers)
                        && codec.ReadRouteNames(headers, out var service, out _) == RpcRouteNames.Found
                        && service.SequenceEqual(knownService)
                        && codec.TrySetRequestId(bytes, frame, nextUpstreamId++))
                    {
                        counts.Routed++;
                    }
                    else if (codec.WriteErrorResponse(frame, RpcErrorKind.NoRoute, replies) > 0)
                    {
                        counts.Failed++;
                    }
                    else
                    {
                        counts.Forgotten++;
                    }

                    break;
                default:
                    counts.Responses++;
                    break;
            }

            input = input.Slice(frame.Length);
        }
    }

    private static byte[] Stream() =>
    [
        .. V1Heartbeat, .. V1Request, .. V2Oneway, .. V2CrcHeartbeat, .. V1Response,
        .. V2Request, .. V1HeartbeatAck, .. V2Request[..10],
    ];

    [Fact]
    public void A_mixed_stream_in_one_byte_segments_is_framed_routed_and_answered()
    {
        var replies = new ArrayBufferWriter<byte>();
        var counts = Pump(new BoltCodec(), SegmentedSequence.ByteByByte(Stream()), "com.alipay.test.TestService:1.0"u8, replies);

        Assert.Equal(7, counts.Frames);
        Assert.Equal(3, counts.Routed);
        Assert.Equal(2, counts.HeartbeatsAnswered);
        Assert.Equal(0, counts.Failed);
        Assert.Equal(2, counts.Responses);
        Assert.Equal(RpcReadStatus.NeedMoreData, counts.Last.Status);
        Assert.Equal([.. V1HeartbeatAck, .. V2CrcHeartbeatAck], replies.WrittenSpan.ToArray());
    }

    [Fact]
    public void Unroutable_requests_are_failed_and_unroutable_oneways_forgotten()
    {
        var replies = new ArrayBufferWriter<byte>();
        var counts = Pump(new BoltCodec(), new ReadOnlySequence<byte>(Stream()), "other"u8, replies);

        Assert.Equal(2, counts.Failed);
        Assert.Equal(1, counts.Forgotten);
        Assert.Equal(0, counts.Routed);
    }

    [Fact]
    public void The_codec_calls_a_session_makes_allocate_nothing_per_frame()
    {
        var stream = Stream();
        var replies = new ArrayBufferWriter<byte>(64 * 1024);
        var whole = new ReadOnlySequence<byte>(stream);
        var split = SegmentedSequence.Split(stream, 7, 50, 130, 200, 333);
        var routed = Pump(new BoltCodec(), whole, "com.alipay.test.TestService:1.0"u8, replies); // warm up (JIT, statics)
        var failed = Pump(new BoltCodec(), whole, "nope"u8, replies);
        Assert.True(IsRoutedWhole(routed), $"routed pump, expected 7 frames, 3 routed, 2 heartbeats: {routed.Frames} frames, {routed.Routed} routed, {routed.HeartbeatsAnswered} heartbeats, last {routed.Last.Status}");
        Assert.True(IsFailedWhole(failed), $"unroutable pump, expected 7 frames, 2 failed, 1 forgotten: {failed.Frames} frames, {failed.Failed} failed, {failed.Forgotten} forgotten, last {failed.Last.Status}");

        // Every pump in the loop is checked too: a codec that gave up at the first byte would allocate nothing.
        var wrong = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            replies.ResetWrittenCount();
            wrong += IsRoutedWhole(Pump(new BoltCodec(), whole, "com.alipay.test.TestService:1.0"u8, replies)) ? 0 : 1;
            wrong += IsRoutedWhole(Pump(new BoltCodec(), split, "com.alipay.test.TestService:1.0"u8, replies)) ? 0 : 1;
            wrong += IsFailedWhole(Pump(new BoltCodec(), whole, "nope"u8, replies)) ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, wrong);
        Assert.Equal(0, allocated);
    }

    /// <summary>What pumping <see cref="Stream"/> with its service routed yields (as the first test asserts field by field).</summary>
    private static bool IsRoutedWhole(in PumpCounts counts) =>
        counts is { Frames: 7, Routed: 3, HeartbeatsAnswered: 2, Failed: 0, Forgotten: 0, Responses: 2 }
        && counts.Last.Status == RpcReadStatus.NeedMoreData;

    /// <summary>What pumping <see cref="Stream"/> with no route yields: both requests failed, the oneway forgotten.</summary>
    private static bool IsFailedWhole(in PumpCounts counts) =>
        counts is { Frames: 7, Routed: 0, HeartbeatsAnswered: 2, Failed: 2, Forgotten: 1, Responses: 2 }
        && counts.Last.Status == RpcReadStatus.NeedMoreData;
}
