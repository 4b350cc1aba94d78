using System.Buffers;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using static MeshEdge.Codecs.Tests.Bolt.BoltTestFrames;

namespace MeshEdge.Codecs.Tests.Bolt;

public class BoltFrameReaderTests
{
    private static readonly BoltCodec Codec = new();

    // name, kind (RpcFrameKind; internal, so passed as int), id, status, timeout, headerOffset, headerLength, contentLength, version, crc
    public static TheoryData<string, int, uint, int, int, int, int, int, byte, bool> Frames => new()
    {
        { nameof(V1Request), (int)RpcFrameKind.Request, 7, 0, 3000, 22 + 44, 46, 3, 1, false },
        { nameof(V1Oneway), (int)RpcFrameKind.Oneway, 8, 0, 3000, 22 + 44, 46, 3, 1, false },
        { nameof(V1Response), (int)RpcFrameKind.Response, 7, 0, 0, 20 + 46, 0, 2, 1, false },
        { nameof(V1Heartbeat), (int)RpcFrameKind.HeartbeatRequest, 9, 0, 3000, 22, 0, 0, 1, false },
        { nameof(V1HeartbeatAck), (int)RpcFrameKind.HeartbeatResponse, 9, 0, 0, 20, 0, 0, 1, false },
        { nameof(V2Request), (int)RpcFrameKind.Request, 7, 0, 3000, 24 + 44, 46, 3, 2, false },
        { nameof(V2Oneway), (int)RpcFrameKind.Oneway, 8, 0, 3000, 24 + 44, 46, 3, 2, false },
        { nameof(V2Response), (int)RpcFrameKind.Response, 7, 0, 0, 22 + 46, 0, 2, 2, false },
        { nameof(V2Heartbeat), (int)RpcFrameKind.HeartbeatRequest, 9, 0, 3000, 24, 0, 0, 2, false },
        { nameof(V2HeartbeatAck), (int)RpcFrameKind.HeartbeatResponse, 9, 0, 0, 22, 0, 0, 2, false },
        { nameof(V2CrcHeartbeat), (int)RpcFrameKind.HeartbeatRequest, 7, 0, 3000, 24, 0, 0, 2, true },
        { nameof(V2CrcHeartbeatAck), (int)RpcFrameKind.HeartbeatResponse, 7, 0, 0, 22, 0, 0, 2, true },
    };

    internal static byte[] ByName(string name) =>
        (byte[])typeof(BoltTestFrames).GetField(name)!.GetValue(null)!;

    [Theory]
    [MemberData(nameof(Frames))]
    public void Reads_every_command_type_of_both_versions(
        string name, int kind, uint id, int status, int timeout, int headerOffset, int headerLength, int contentLength, byte version, bool crc)
    {
        var bytes = ByName(name);
        var result = Codec.ReadFrame(new ReadOnlySequence<byte>(bytes), out var frame);

        Assert.Equal(RpcReadStatus.Complete, result.Status);
        Assert.Equal(bytes.Length, result.FrameLength);
        Assert.Equal(bytes.Length, frame.Length);
        Assert.Equal((RpcFrameKind)kind, frame.Kind);
        Assert.Equal(id, frame.RequestId);
        Assert.Equal(status, frame.Status);
        Assert.Equal(timeout, frame.TimeoutMilliseconds);
        Assert.Equal(1, frame.Serialization);
        Assert.Equal(headerOffset, frame.HeaderOffset);
        Assert.Equal(headerLength, frame.HeaderLength);
        Assert.Equal(headerOffset + headerLength, frame.ContentOffset);
        Assert.Equal(contentLength, frame.ContentLength);
        var state = BoltCodecState.From(frame);
        Assert.Equal((BoltVersion)version, state.Version);
        Assert.Equal(crc, state.HasCrc);
        Assert.Equal(1, state.CommandVersion);
    }

    [Fact]
    public void Content_and_header_block_point_at_the_right_bytes()
    {
        Codec.ReadFrame(new ReadOnlySequence<byte>(V2Request), out var frame);
        Assert.Equal(ServiceHeaderMap, V2Request.AsSpan(frame.HeaderOffset, frame.HeaderLength).ToArray());
        Assert.Equal(RequestContent, V2Request.AsSpan(frame.ContentOffset, frame.ContentLength).ToArray());
    }

    [Fact]
    public void Reads_only_the_first_of_several_frames()
    {
        byte[] two = [.. V1Request, .. V1Heartbeat];
        var result = Codec.ReadFrame(new ReadOnlySequence<byte>(two), out var frame);
        Assert.Equal(RpcReadStatus.Complete, result.Status);
        Assert.Equal(V1Request.Length, frame.Length);

        result = Codec.ReadFrame(new ReadOnlySequence<byte>(two).Slice(frame.Length), out frame);
        Assert.Equal(RpcReadStatus.Complete, result.Status);
        Assert.Equal(RpcFrameKind.HeartbeatRequest, frame.Kind);
    }

    [Fact]
    public void Response_status_is_read_in_both_versions()
    {
        byte[] v1 = [.. V1Response];
        v1[11] = 0x10; // respStatus CONNECTION_CLOSED
        byte[] v2 = [.. V2Response];
        v2[13] = 0x07; // respStatus TIMEOUT

        Codec.ReadFrame(new ReadOnlySequence<byte>(v1), out var f1);
        Codec.ReadFrame(new ReadOnlySequence<byte>(v2), out var f2);

        Assert.Equal((ushort)BoltResponseStatus.ConnectionClosed, f1.Status);
        Assert.Equal((ushort)BoltResponseStatus.Timeout, f2.Status);
    }

    [Fact]
    public void Negative_timeout_reads_as_none()
    {
        byte[] frame = [.. V1Heartbeat];
        frame[10] = 0xFF; // timeout -1 (0xFFFFFFFF)
        frame[11] = 0xFF;
        frame[12] = 0xFF;
        frame[13] = 0xFF;
        Codec.ReadFrame(new ReadOnlySequence<byte>(frame), out var info);
        Assert.Equal(0, info.TimeoutMilliseconds);
    }

    [Fact]
    public void Empty_input_needs_more_data()
    {
        var result = Codec.ReadFrame(ReadOnlySequence<byte>.Empty, out _);
        Assert.Equal(RpcReadStatus.NeedMoreData, result.Status);
        Assert.Equal(0, result.FrameLength);
    }

    [Fact]
    public void A_whole_header_tells_the_frame_length_before_the_body_arrives()
    {
        var result = Codec.ReadFrame(new ReadOnlySequence<byte>(V1Request, 0, 22), out _);
        Assert.Equal(RpcReadStatus.NeedMoreData, result.Status);
        Assert.Equal(V1Request.Length, result.FrameLength);
    }

    [Fact]
    public void Frame_info_helpers_say_what_the_session_does_with_it()
    {
        Codec.ReadFrame(new ReadOnlySequence<byte>(V1Heartbeat), out var heartbeat);
        Codec.ReadFrame(new ReadOnlySequence<byte>(V1Oneway), out var oneway);
        Codec.ReadFrame(new ReadOnlySequence<byte>(V1Request), out var request);

        Assert.True(heartbeat.IsHeartbeat);
        Assert.True(heartbeat.ExpectsResponse);
        Assert.False(oneway.ExpectsResponse);
        Assert.True(request.ExpectsResponse);
        Assert.False(request.IsHeartbeat);
        Assert.Equal("Request id=7 len=115 status=0 timeout=3000ms", request.ToString());
    }
}
