using System.Buffers;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;

namespace MeshEdge.Codecs.Tests.Bolt;

/// <summary>Frames from the SOFA team's own encoder (sofa-bolt-node 2.0.1; see <see cref="BoltGoldenFrames"/>).</summary>
public class BoltGoldenFrameTests
{
    private static readonly BoltCodec Codec = new();

    // name, kind (RpcFrameKind as int), id, version, crc
    public static TheoryData<string, int, uint, int, bool> Golden => new()
    {
        { nameof(BoltGoldenFrames.V1Request), (int)RpcFrameKind.Request, 1, 1, false },
        { nameof(BoltGoldenFrames.V1Oneway), (int)RpcFrameKind.Oneway, 2, 1, false },
        { nameof(BoltGoldenFrames.V1Response), (int)RpcFrameKind.Response, 1, 1, false },
        { nameof(BoltGoldenFrames.V1Heartbeat), (int)RpcFrameKind.HeartbeatRequest, 7, 1, false },
        { nameof(BoltGoldenFrames.V1HeartbeatAck), (int)RpcFrameKind.HeartbeatResponse, 7, 1, false },
        { nameof(BoltGoldenFrames.V2Request), (int)RpcFrameKind.Request, 1, 2, false },
        { nameof(BoltGoldenFrames.V2Oneway), (int)RpcFrameKind.Oneway, 2, 2, false },
        { nameof(BoltGoldenFrames.V2Response), (int)RpcFrameKind.Response, 1, 2, false },
        { nameof(BoltGoldenFrames.V2Heartbeat), (int)RpcFrameKind.HeartbeatRequest, 7, 2, false },
        { nameof(BoltGoldenFrames.V2HeartbeatAck), (int)RpcFrameKind.HeartbeatResponse, 7, 2, false },
        { nameof(BoltGoldenFrames.V2CrcRequest), (int)RpcFrameKind.Request, 1, 2, true },
        { nameof(BoltGoldenFrames.V2CrcOneway), (int)RpcFrameKind.Oneway, 2, 2, true },
        { nameof(BoltGoldenFrames.V2CrcResponse), (int)RpcFrameKind.Response, 1, 2, true },
        { nameof(BoltGoldenFrames.V2CrcHeartbeat), (int)RpcFrameKind.HeartbeatRequest, 7, 2, true },
        { nameof(BoltGoldenFrames.V2CrcHeartbeatAck), (int)RpcFrameKind.HeartbeatResponse, 7, 2, true },
        { nameof(BoltGoldenFrames.V1ProtobufRequestWithoutContent), (int)RpcFrameKind.Request, 5, 1, false },
    };

    internal static byte[] Frame(string name) =>
        Bytes.FromHex((string)typeof(BoltGoldenFrames).GetField(name)!.GetRawConstantValue()!);

    [Theory]
    [MemberData(nameof(Golden))]
    public void Reads_what_sofa_bolt_node_writes(string name, int kind, uint id, int version, bool crc)
    {
        var bytes = Frame(name);

        var result = Codec.ReadFrame(new ReadOnlySequence<byte>(bytes), out var frame);

        Assert.True(result.Status == RpcReadStatus.Complete, result.ToString());
        Assert.Equal(bytes.Length, frame.Length);
        Assert.Equal((RpcFrameKind)kind, frame.Kind);
        Assert.Equal(id, frame.RequestId);
        var state = BoltCodecState.From(frame);
        Assert.Equal((BoltVersion)version, state.Version);
        Assert.Equal(crc, state.HasCrc);
        if (frame.Kind is RpcFrameKind.Request or RpcFrameKind.Oneway or RpcFrameKind.HeartbeatRequest)
        {
            Assert.Equal(3000, frame.TimeoutMilliseconds);
        }

        if (frame.Kind is RpcFrameKind.Request or RpcFrameKind.Oneway)
        {
            Assert.Equal(RpcRouteNames.Found, Codec.ReadRouteNames(bytes.AsSpan(frame.HeaderOffset, frame.HeaderLength), out var service, out _));
            Assert.Equal("com.alipay.test.TestService:1.0"u8, service);
        }
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void Reads_them_cut_at_every_position(string name, int kind, uint id, int version, bool crc)
    {
        _ = (kind, id, version, crc);
        var bytes = Frame(name);
        Codec.ReadFrame(new ReadOnlySequence<byte>(bytes), out var expected);
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            Codec.ReadFrame(SegmentedSequence.Split(bytes, cut), out var frame);
            Assert.Equal(expected, frame);
        }
    }

    [Fact]
    public void Our_heartbeat_and_ack_equal_sofa_bolt_nodes_in_v1_and_v2()
    {
        var output = new ArrayBufferWriter<byte>();
        Codec.WriteHeartbeatRequest(7, output);
        Assert.Equal(Frame(nameof(BoltGoldenFrames.V1Heartbeat)), output.WrittenSpan.ToArray());

        foreach (var (heartbeat, ack) in new[]
        {
            (nameof(BoltGoldenFrames.V1Heartbeat), nameof(BoltGoldenFrames.V1HeartbeatAck)),
            (nameof(BoltGoldenFrames.V2Heartbeat), nameof(BoltGoldenFrames.V2HeartbeatAck)),
            (nameof(BoltGoldenFrames.V2CrcHeartbeat), nameof(BoltGoldenFrames.V2CrcHeartbeatAck)),
        })
        {
            Codec.ReadFrame(new ReadOnlySequence<byte>(Frame(heartbeat)), out var frame);
            output.Clear();
            Codec.WriteHeartbeatReply(frame, output);
            Assert.Equal(Frame(ack), output.WrittenSpan.ToArray());
        }
    }

    [Fact]
    public void Rewriting_the_id_of_a_crc_request_keeps_its_crc_valid()
    {
        var bytes = Frame(nameof(BoltGoldenFrames.V2CrcRequest));
        var sequence = SegmentedSequence.Split(bytes, 8, 100, 300);
        Codec.ReadFrame(sequence, out var frame);

        Assert.True(Codec.TrySetRequestId(sequence, frame, 0x12345678));

        Assert.Equal(RpcReadStatus.Complete, Codec.ReadFrame(sequence, out var reread).Status);
        Assert.Equal(0x12345678u, reread.RequestId);
    }

    [Fact]
    public void Our_error_response_shares_sofa_bolt_nodes_response_header_up_to_the_lengths()
    {
        // sofa-bolt-node's success response to request 1 against our TIMEOUT response to the same
        // request: same proto, type, cmdcode, ver2, id, codec (and v2's ver1 and switch), same class.
        foreach (var (request, response, lengthsAt) in new[]
        {
            (nameof(BoltGoldenFrames.V1Request), nameof(BoltGoldenFrames.V1Response), 12),
            (nameof(BoltGoldenFrames.V2CrcRequest), nameof(BoltGoldenFrames.V2CrcResponse), 14),
        })
        {
            var theirs = Frame(response);
            Codec.ReadFrame(new ReadOnlySequence<byte>(Frame(request)), out var frame);
            var output = new ArrayBufferWriter<byte>();
            Codec.WriteErrorResponse(frame, RpcErrorKind.Timeout, output);
            var ours = output.WrittenSpan.ToArray();

            Assert.Equal(theirs[..(lengthsAt - 2)], ours[..(lengthsAt - 2)]);
            Assert.Equal([0x00, 0x07], ours[(lengthsAt - 2)..lengthsAt]); // TIMEOUT where theirs says SUCCESS
            Assert.Equal(theirs[lengthsAt..(lengthsAt + 2)], ours[lengthsAt..(lengthsAt + 2)]); // classLen 46
            var fixedLength = lengthsAt + 8;
            Assert.Equal(theirs.AsSpan(fixedLength, 46), ours.AsSpan(fixedLength, 46));
        }
    }
}
