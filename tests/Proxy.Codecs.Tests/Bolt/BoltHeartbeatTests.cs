using System.Buffers;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;
using static MeshEdge.Codecs.Tests.Bolt.BoltTestFrames;

namespace MeshEdge.Codecs.Tests.Bolt;

public class BoltHeartbeatTests
{
    private static readonly BoltCodec Codec = new();

    private static byte[] Reply(byte[] heartbeat)
    {
        Codec.ReadFrame(new ReadOnlySequence<byte>(heartbeat), out var frame);
        var output = new ArrayBufferWriter<byte>();
        var written = Codec.WriteHeartbeatReply(frame, output);
        Assert.Equal(output.WrittenCount, written);
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public void V1_heartbeat_is_answered_with_a_v1_ack() => Assert.Equal(V1HeartbeatAck, Reply(V1Heartbeat));

    [Fact]
    public void V2_heartbeat_is_answered_with_a_v2_ack() => Assert.Equal(V2HeartbeatAck, Reply(V2Heartbeat));

    [Fact]
    public void V2_heartbeat_with_crc_is_answered_with_a_crc_ack_equal_to_sofa_bolt_nodes()
    {
        Assert.Equal(V2CrcHeartbeatAck, Reply(V2CrcHeartbeat));
        Assert.Equal(Bytes.FromHex(BoltGoldenFrames.V2CrcHeartbeatAck), Reply(Bytes.FromHex(BoltGoldenFrames.V2CrcHeartbeat)));
    }

    [Fact]
    public void Only_heartbeat_requests_get_a_reply()
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var frame in new[] { V1Request, V1Oneway, V1Response, V1HeartbeatAck })
        {
            Codec.ReadFrame(new ReadOnlySequence<byte>(frame), out var info);
            Assert.Equal(0, Codec.WriteHeartbeatReply(info, output));
        }

        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Probes_are_v1_heartbeats_as_sofa_clients_send_them()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(22, Codec.WriteHeartbeatRequest(9, output));
        Assert.Equal(V1Heartbeat, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_default_codec_probes_with_v1()
    {
        var output = new ArrayBufferWriter<byte>();
        default(BoltCodec).WriteHeartbeatRequest(9, output);
        Assert.Equal(V1Heartbeat, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Probes_can_be_v2()
    {
        var output = new ArrayBufferWriter<byte>();
        new BoltCodec(BoltConstants.DefaultMaxFrameSize, BoltVersion.V2).WriteHeartbeatRequest(9, output);
        Assert.Equal(V2Heartbeat, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_probe_id_the_wire_cannot_carry_writes_nothing()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(0, Codec.WriteHeartbeatRequest(1UL << 32, output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void A_probe_and_its_reply_pair_up()
    {
        var output = new ArrayBufferWriter<byte>();
        Codec.WriteHeartbeatRequest(12345, output);
        var reply = Reply(output.WrittenSpan.ToArray());

        Codec.ReadFrame(new ReadOnlySequence<byte>(reply), out var ack);
        Assert.Equal(RpcFrameKind.HeartbeatResponse, ack.Kind);
        Assert.Equal(12345u, ack.RequestId);
    }
}
