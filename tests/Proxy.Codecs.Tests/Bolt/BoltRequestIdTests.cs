using System.Buffers;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;
using static MeshEdge.Codecs.Tests.Bolt.BoltTestFrames;

namespace MeshEdge.Codecs.Tests.Bolt;

/// <summary>The proxy gives each request a fresh id per upstream connection, in the frame's own bytes.</summary>
public class BoltRequestIdTests
{
    private static readonly BoltCodec Codec = new();

    [Fact]
    public void V1_id_is_rewritten_at_bytes_5_to_8_and_nothing_else_changes()
    {
        var bytes = V1Request.ToArray();
        var sequence = new ReadOnlySequence<byte>(bytes);
        Codec.ReadFrame(sequence, out var frame);

        Assert.True(Codec.TrySetRequestId(sequence, frame, 0xA1B2C3D4));

        byte[] expected = [.. V1Request[..5], 0xA1, 0xB2, 0xC3, 0xD4, .. V1Request[9..]];
        Assert.Equal(expected, bytes);
        Codec.ReadFrame(sequence, out var reread);
        Assert.Equal(0xA1B2C3D4u, reread.RequestId);
    }

    [Fact]
    public void V2_id_is_rewritten_at_bytes_6_to_9()
    {
        var bytes = V2Response.ToArray();
        var sequence = new ReadOnlySequence<byte>(bytes);
        Codec.ReadFrame(sequence, out var frame);

        Assert.True(Codec.TrySetRequestId(sequence, frame, 0x01020304));

        byte[] expected = [.. V2Response[..6], 0x01, 0x02, 0x03, 0x04, .. V2Response[10..]];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void V2_crc_is_refreshed_to_cover_the_new_id()
    {
        // The reference: sofa-bolt-node's heartbeat with id 7 (V2CrcHeartbeat) is this frame's id 9
        // rewritten to 7, so the rewritten frame must equal it byte for byte, CRC included.
        byte[] bytes = [.. V2CrcHeartbeat];
        bytes[9] = 0x09;
        var sequence = new ReadOnlySequence<byte>(bytes);
        var info = new RpcFrameInfo
        {
            Length = bytes.Length,
            Kind = RpcFrameKind.HeartbeatRequest,
            RequestId = 9,
            CodecState = new BoltCodecState(BoltVersion.V2, 2, 0x01, 1).Pack(),
        };

        Assert.True(Codec.TrySetRequestId(sequence, info, 7));

        Assert.Equal(V2CrcHeartbeat, bytes);
    }

    [Fact]
    public void Rewrites_across_segments_at_every_cut_including_inside_the_id_and_the_crc()
    {
        var original = V2CrcHeartbeatAck;
        Codec.ReadFrame(new ReadOnlySequence<byte>(original), out var frame);
        for (var cut = 1; cut < original.Length; cut++)
        {
            var sequence = SegmentedSequence.Split(original, cut);

            Assert.True(Codec.TrySetRequestId(sequence, frame, 0xDEADBEEF));

            var result = Codec.ReadFrame(sequence, out var reread);
            Assert.True(result.Status == RpcReadStatus.Complete, $"cut {cut}: {result}");
            Assert.Equal(0xDEADBEEFu, reread.RequestId);
            Assert.Equal(original[..6], sequence.Slice(0, 6).ToArray());
            Assert.Equal(original[10..22], sequence.Slice(10, 12).ToArray());
        }
    }

    [Fact]
    public void Rewrites_a_frame_in_one_byte_segments()
    {
        var sequence = SegmentedSequence.ByteByByte(V1Request);
        Codec.ReadFrame(sequence, out var frame);

        Assert.True(Codec.TrySetRequestId(sequence, frame, 42));

        Codec.ReadFrame(sequence, out var reread);
        Assert.Equal(42u, reread.RequestId);
    }

    [Fact]
    public void Refuses_an_id_the_wire_cannot_carry_and_leaves_the_frame_alone()
    {
        var bytes = V1Request.ToArray();
        var sequence = new ReadOnlySequence<byte>(bytes);
        Codec.ReadFrame(sequence, out var frame);

        Assert.False(Codec.TrySetRequestId(sequence, frame, (ulong)uint.MaxValue + 1));
        Assert.Equal(V1Request, bytes);
    }

    [Fact]
    public void Refuses_bytes_shorter_than_the_frame()
    {
        Codec.ReadFrame(new ReadOnlySequence<byte>(V1Request), out var frame);
        var truncated = new ReadOnlySequence<byte>(V1Request.ToArray(), 0, 30);
        Assert.False(Codec.TrySetRequestId(truncated, frame, 1));
    }

    [Fact]
    public void Id_zero_and_max_round_trip()
    {
        foreach (var id in new ulong[] { 0, 1, uint.MaxValue })
        {
            var sequence = new ReadOnlySequence<byte>(V2Request.ToArray());
            Codec.ReadFrame(sequence, out var frame);
            Assert.True(Codec.TrySetRequestId(sequence, frame, id));
            Codec.ReadFrame(sequence, out var reread);
            Assert.Equal(id, reread.RequestId);
        }
    }
}
