using System.Buffers;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;
using static MeshEdge.Codecs.Tests.Bolt.BoltTestFrames;

namespace MeshEdge.Codecs.Tests.Rpc;

/// <summary>
/// Drives a codec only through <see cref="IRpcCodec"/>, generically, the way an RPC session will:
/// frame, route on the service header, rewrite ids, answer heartbeats, fail what cannot be routed.
/// Also the allocation check: the whole loop allocates nothing per frame.
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

    /// <summary>A miniature session: routes service <paramref name="knownService"/>, fails every other request.</summary>
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
                        && codec.TryGetServiceName(headers, out var service)
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
    public void The_pump_allocates_nothing_per_frame()
    {
        var stream = Stream();
        var replies = new ArrayBufferWriter<byte>(64 * 1024);
        var whole = new ReadOnlySequence<byte>(stream);
        var split = SegmentedSequence.Split(stream, 7, 50, 130, 200, 333);
        Pump(new BoltCodec(), whole, "com.alipay.test.TestService:1.0"u8, replies); // warm up (JIT, statics)
        Pump(new BoltCodec(), whole, "nope"u8, replies);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            replies.ResetWrittenCount();
            Pump(new BoltCodec(), whole, "com.alipay.test.TestService:1.0"u8, replies);
            Pump(new BoltCodec(), split, "com.alipay.test.TestService:1.0"u8, replies);
            Pump(new BoltCodec(), whole, "nope"u8, replies);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
