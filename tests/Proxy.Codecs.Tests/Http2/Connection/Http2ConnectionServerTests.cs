using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Codecs.Tests.Http2.Connection.TestSupport;

namespace MeshEdge.Codecs.Tests.Http2.Connection;

/// <summary>The server role's happy paths: handshake (RFC 9113 §3.4), a request and its response, PING, split input.</summary>
public class Http2ConnectionServerTests
{
    [Fact]
    public void Start_sends_our_settings_and_raises_the_connection_window()
    {
        using var peer = new Http2Peer(Http2ConnectionRole.Server);
        var frames = peer.TakeFrames();

        Assert.Equal(["SETTINGS", $"WINDOW_UPDATE 0 {(1 << 20) - 65_535}"], frames.Select(f => f.ToString()));
        var settings = new Http2SettingsReader(frames[0].Payload);
        var values = new Dictionary<Http2SettingId, uint>();
        foreach (var setting in settings)
        {
            values[setting.Id] = setting.Value;
        }

        Assert.Equal(100u, values[Http2SettingId.MaxConcurrentStreams]);
        Assert.Equal(65_535u, values[Http2SettingId.InitialWindowSize]);
        Assert.Equal(65_536u, values[Http2SettingId.MaxHeaderListSize]);
        Assert.False(values.ContainsKey(Http2SettingId.EnablePush));
        Assert.True(peer.Connection.SettingsPendingSince >= 0);
    }

    [Fact]
    public void The_client_settings_are_acknowledged_and_its_ack_ends_the_settings_timer()
    {
        using var peer = new Http2Peer(Http2ConnectionRole.Server);
        peer.TakeFrames();

        Assert.Equal(H2.ClientStart.Length, peer.Feed(H2.ClientStart));

        Assert.Equal(["SETTINGS ACK"], peer.TakeFrameNames());
        Assert.Equal(-1, peer.Connection.SettingsPendingSince);
        peer.Connection.OnSettingsTimeout();
        Assert.Equal(Http2ConnectionState.Open, peer.Connection.State);
    }

    [Fact]
    public void A_wrong_preface_is_a_protocol_error()
    {
        using var peer = new Http2Peer(Http2ConnectionRole.Server);
        peer.TakeFrames();

        peer.Feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        Assert.Equal(["GOAWAY 0 ProtocolError"], peer.TakeFrameNames());
        Assert.Equal(Http2ErrorReason.PrefaceMismatch, peer.Connection.CloseError.Reason);
        Assert.True(peer.Connection.CanClose);
    }

    [Fact]
    public void A_first_frame_other_than_settings_is_a_protocol_error()
    {
        using var peer = new Http2Peer(Http2ConnectionRole.Server);
        peer.TakeFrames();

        peer.Feed(H2.Preface, H2.Ping());

        Assert.Equal(["GOAWAY 0 ProtocolError"], peer.TakeFrameNames());
    }

    [Fact]
    public void No_settings_ack_in_time_is_a_settings_timeout()
    {
        using var peer = new Http2Peer(Http2ConnectionRole.Server);
        peer.TakeFrames();
        peer.Feed(H2.Preface, H2.Settings());

        peer.Connection.OnSettingsTimeout();

        Assert.Equal(["SETTINGS ACK", "GOAWAY 0 SettingsTimeout"], peer.TakeFrameNames());
        Assert.Equal(1, peer.Connection.Counters.SettingsTimeouts);
    }

    [Fact]
    public void A_request_opens_a_stream_and_the_response_closes_it()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Headers(1, H2.Block([.. H2.Get("/a?b"), ("user-agent", "t")])));

        Assert.Equal(["headers 1 Request es=True :method=GET :scheme=http :authority=example.com :path=/a?b user-agent=t"], peer.Events);
        Assert.Equal(1, peer.Connection.ActiveStreams);
        Assert.Equal(-1, peer.Connection.IdleSince);

        Assert.True(peer.Connection.AddHeader(":status"u8, "200"u8));
        Assert.True(peer.Connection.AddHeader("content-type"u8, "text/plain"u8));
        Assert.True(peer.Connection.SendHeaders(1, endStream: false, peer.Output));
        Assert.Equal(5, peer.Connection.SendData(1, "hello"u8, endStream: true, peer.Output));

        var frames = peer.TakeFrames();
        Assert.Equal(["Headers 1 len=", "Data 1 len=5 flags=1"], frames.Select(f => f.ToString().Split("len=")[0] + (f.Type == Http2FrameType.Data ? "len=" + f.Payload.Length + " flags=" + f.Flags : "len=")));
        Assert.True(frames[0].Has(Http2FrameFlags.EndHeaders));
        Assert.Equal([":status: 200", "content-type: text/plain"], peer.DecodeSent(frames[0]));
        Assert.Equal(0, peer.Connection.ActiveStreams);
        Assert.True(peer.Connection.IdleSince >= 0);
        Assert.Equal(1, peer.Connection.Counters.StreamsOpened);
        Assert.Equal(1, peer.Connection.Counters.StreamsClosed);
    }

    [Fact]
    public void A_body_and_trailers_arrive_as_data_then_trailers()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(
            H2.Headers(1, H2.Block(H2.Post("/p", 7)), endStream: false),
            H2.Data(1, "abc"),
            H2.Data(1, "defg"),
            H2.Headers(1, H2.Block(("grpc-status", "0")), endStream: true));

        Assert.Equal(
            ["headers 1 Request es=False :method=POST :scheme=http :authority=example.com :path=/p content-length=7", "data 1 abc es=False", "data 1 defg es=False", "headers 1 Trailers es=True grpc-status=0"],
            peer.Events);
        Assert.Empty(peer.TakeFrames());
    }

    [Fact]
    public void A_field_block_over_continuations_is_delivered_once()
    {
        using var peer = Http2Peer.Server();
        var block = H2.Block([.. H2.Get(), ("x-long", new string('v', 300))]);

        peer.Feed(H2.Headers(1, block[..10], endHeaders: false), H2.Continuation(1, block[10..200], false), H2.Continuation(1, block[200..], true));

        Assert.Single(peer.Events);
        Assert.StartsWith("headers 1 Request es=True :method=GET", peer.Events[0]);
        Assert.EndsWith("x-long=" + new string('v', 300), peer.Events[0]);
    }

    [Fact]
    public void A_ping_is_answered_with_the_same_opaque_data()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Ping(9));

        var frames = peer.TakeFrames();
        Assert.Equal("PING ACK", Assert.Single(frames).ToString());
        Assert.Equal([9, 2, 3, 4, 5, 6, 7, 8], frames[0].Payload);
    }

    [Fact]
    public void A_frame_split_anywhere_waits_for_its_end()
    {
        using var peer = Http2Peer.Server();
        var request = H2.Request(1);

        for (var cut = 0; cut < request.Length; cut++)
        {
            Assert.Equal(0, peer.Feed(request[..cut]));
        }

        Assert.Equal(request.Length, peer.Feed(request));
        Assert.Single(peer.Events);
    }

    [Fact]
    public void Unknown_frame_types_are_ignored()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(RawFrames.Frame(0xBE, 0xFF, 1, [1, 2, 3]), H2.Request(1));

        Assert.Single(peer.Events);
        Assert.Empty(peer.TakeFrames());
    }
}
