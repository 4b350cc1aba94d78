using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Tests.Http2.Connection.TestSupport;

namespace MeshEdge.Codecs.Tests.Http2.Connection;

/// <summary>RFC 9113 §4 (frame size) and §6 (per-type rules and SETTINGS values) as they surface at the connection: the exact GOAWAY or RST_STREAM.</summary>
public class Http2ConnectionFrameErrorTests
{
    public static TheoryData<string, byte[], string> ConnectionErrors => new()
    {
        { "frame over SETTINGS_MAX_FRAME_SIZE", H2.Data(1, new byte[16_385]), "GOAWAY 0 FrameSizeError" },
        { "SETTINGS on a stream", RawFrames.Frame(Http2FrameType.Settings, 0, 1), "GOAWAY 0 ProtocolError" },
        { "SETTINGS not a multiple of six", RawFrames.Frame(Http2FrameType.Settings, 0, 0, 0, 3, 0, 0, 0), "GOAWAY 0 FrameSizeError" },
        { "SETTINGS ACK with a payload", RawFrames.Frame(Http2FrameType.Settings, Http2FrameFlags.Ack, 0, 0, 0, 0, 0, 0, 0), "GOAWAY 0 FrameSizeError" },
        { "ENABLE_PUSH 2", H2.Settings((Http2SettingId.EnablePush, 2)), "GOAWAY 0 ProtocolError" },
        { "INITIAL_WINDOW_SIZE 2^31", H2.Settings((Http2SettingId.InitialWindowSize, 1u << 31)), "GOAWAY 0 FlowControlError" },
        { "MAX_FRAME_SIZE below 16384", H2.Settings((Http2SettingId.MaxFrameSize, 16_383)), "GOAWAY 0 ProtocolError" },
        { "MAX_FRAME_SIZE above 2^24-1", H2.Settings((Http2SettingId.MaxFrameSize, 1u << 24)), "GOAWAY 0 ProtocolError" },
        { "PING on a stream", RawFrames.Frame(Http2FrameType.Ping, 0, 1, new byte[8]), "GOAWAY 0 ProtocolError" },
        { "PING of 7 bytes", RawFrames.Frame(Http2FrameType.Ping, 0, 0, new byte[7]), "GOAWAY 0 FrameSizeError" },
        { "GOAWAY on a stream", RawFrames.Frame(Http2FrameType.GoAway, 0, 1, new byte[8]), "GOAWAY 0 ProtocolError" },
        { "GOAWAY of 7 bytes", RawFrames.Frame(Http2FrameType.GoAway, 0, 0, new byte[7]), "GOAWAY 0 FrameSizeError" },
        { "RST_STREAM on stream 0", H2.RstStream(0, Http2ErrorCode.Cancel), "GOAWAY 0 ProtocolError" },
        { "RST_STREAM of 3 bytes", RawFrames.Frame(Http2FrameType.RstStream, 0, 1, 0, 0, 8), "GOAWAY 0 FrameSizeError" },
        { "WINDOW_UPDATE of 3 bytes", RawFrames.Frame(Http2FrameType.WindowUpdate, 0, 0, 0, 0, 1), "GOAWAY 0 FrameSizeError" },
        { "WINDOW_UPDATE 0 on the connection", H2.WindowUpdate(0, 0), "GOAWAY 0 ProtocolError" },
        { "WINDOW_UPDATE past 2^31-1 on the connection", H2.WindowUpdate(0, 0x7FFF_FFFF), "GOAWAY 0 FlowControlError" },
        { "DATA on stream 0", H2.Data(0, "x"), "GOAWAY 0 ProtocolError" },
        { "DATA padding longer than the payload", RawFrames.Frame(Http2FrameType.Data, Http2FrameFlags.Padded, 1, 5, 1, 2), "GOAWAY 0 ProtocolError" },
        { "HEADERS padding longer than the payload", RawFrames.Frame(Http2FrameType.Headers, Http2FrameFlags.Padded | Http2FrameFlags.EndHeaders, 1, 9, 0x82), "GOAWAY 0 ProtocolError" },
        { "CONTINUATION without HEADERS", H2.Continuation(1, H2.Block(H2.Get()), true), "GOAWAY 0 ProtocolError" },
        { "HEADERS interrupted by PING", [.. H2.Headers(1, H2.Block(H2.Get()), endHeaders: false), .. H2.Ping()], "GOAWAY 1 ProtocolError" },
        { "CONTINUATION on another stream", [.. H2.Headers(1, H2.Block(H2.Get()), endHeaders: false), .. H2.Continuation(3, [], true)], "GOAWAY 1 ProtocolError" },
        { "PRIORITY on stream 0", H2.Priority(0, 1), "GOAWAY 0 ProtocolError" },
    };

    [Theory]
    [MemberData(nameof(ConnectionErrors))]
    public void A_frame_breaking_a_connection_rule_gets_goaway(string rule, byte[] frames, string expected)
    {
        using var peer = Http2Peer.Server();

        peer.Feed(frames);

        Assert.True(expected == string.Join(", ", peer.TakeFrameNames()), $"{rule}: expected {expected}");
        Assert.Equal(MeshEdge.Codecs.Http2.Connection.Http2ConnectionState.Closed, peer.Connection.State);
        Assert.Equal(0, peer.Feed(H2.Request(101)));
    }

    public static TheoryData<string, byte[], string> StreamErrors => new()
    {
        { "PRIORITY of 4 bytes", RawFrames.Frame(Http2FrameType.Priority, 0, 1, 0, 0, 0, 3), "RST_STREAM 1 FrameSizeError" },
        { "WINDOW_UPDATE 0 on a stream", H2.WindowUpdate(1, 0), "RST_STREAM 1 ProtocolError" },
        { "WINDOW_UPDATE past 2^31-1 on a stream", H2.WindowUpdate(1, 0x7FFF_FFFF), "RST_STREAM 1 FlowControlError" },
    };

    [Theory]
    [MemberData(nameof(StreamErrors))]
    public void A_frame_breaking_a_stream_rule_gets_rst_stream_and_the_connection_goes_on(string rule, byte[] frame, string expected)
    {
        using var peer = Http2Peer.Server();
        peer.Feed(H2.Request(1, endStream: false));

        peer.Feed(frame);

        Assert.True(expected == string.Join(", ", peer.TakeFrameNames()), $"{rule}: expected {expected}");
        peer.Feed(H2.Request(3));
        Assert.StartsWith("headers 3", peer.Events[^1]);
    }

    [Fact]
    public void A_larger_advertised_max_frame_size_admits_larger_frames()
    {
        using var peer = Http2Peer.Server(new() { MaxFrameSize = 1 << 16, InitialStreamWindowSize = 1 << 17 });

        peer.Feed(H2.Headers(1, H2.Block(H2.Post()), endStream: false), H2.Data(1, new byte[40_000], endStream: true));

        Assert.Equal("data 1 " + new string('\0', 40_000) + " es=True", peer.Events[^1]);
    }

    [Fact]
    public void The_zero_increment_and_overflow_counters_count()
    {
        using var peer = Http2Peer.Server();
        peer.Feed(H2.Request(1, endStream: false), H2.Request(3, endStream: false));

        peer.Feed(H2.WindowUpdate(1, 0), H2.WindowUpdate(3, 0x7FFF_FFFF));

        Assert.Equal(1, peer.Connection.Counters.ZeroWindowIncrements);
        Assert.Equal(1, peer.Connection.Counters.WindowOverflows);
        Assert.Equal(2, peer.Connection.Counters.ResetsProvoked);
    }
}
