using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Codecs.Tests.Http2.Connection.TestSupport;

namespace MeshEdge.Codecs.Tests.Http2.Connection;

/// <summary>The client role, for upstream pools: preface, the server's concurrency limit, responses, and what is safe to retry.</summary>
public class Http2ConnectionClientTests
{
    private static Http2Peer Client(Http2ConnectionOptions? options = null, params (Http2SettingId, uint)[] serverSettings)
    {
        var peer = new Http2Peer(Http2ConnectionRole.Client, options);
        peer.Feed(H2.Settings(serverSettings), H2.SettingsAck);
        peer.TakeFrames();
        return peer;
    }

    private static uint Request(Http2Peer peer, bool endStream = true)
    {
        Assert.True(peer.Connection.TryOpenStream(out var id));
        foreach (var (name, value) in H2.Get())
        {
            Assert.True(peer.Connection.AddHeader(System.Text.Encoding.Latin1.GetBytes(name), System.Text.Encoding.Latin1.GetBytes(value)));
        }

        Assert.True(peer.Connection.SendHeaders(id, endStream, peer.Output));
        return id;
    }

    [Fact]
    public void Start_sends_the_preface_and_settings_without_push()
    {
        using var peer = new Http2Peer(Http2ConnectionRole.Client);

        Assert.True(peer.Output.WrittenSpan.StartsWith(H2.Preface));
        var settings = peer.TakeFrames()[0];
        var values = new Dictionary<Http2SettingId, uint>();
        foreach (var setting in new Http2SettingsReader(settings.Payload))
        {
            values[setting.Id] = setting.Value;
        }

        Assert.Equal(0u, values[Http2SettingId.EnablePush]);
    }

    [Fact]
    public void A_request_and_its_response_with_an_informational_head_first()
    {
        using var peer = Client();
        var id = Request(peer);
        Assert.Equal(1u, id);
        var sent = peer.TakeFrames();
        Assert.Equal([":method: GET", ":scheme: http", ":authority: example.com", ":path: /"], peer.DecodeSent(sent.Single()));

        peer.Feed(H2.Headers(1, H2.Block((":status", "103"), ("link", "</a>")), endStream: false), H2.Headers(1, H2.Block((":status", "200"), ("content-length", "2")), endStream: false), H2.Data(1, "ok", endStream: true));

        Assert.Equal(["headers 1 InformationalResponse es=False :status=103 link=</a>", "headers 1 Response es=False :status=200 content-length=2", "data 1 ok es=True"], peer.Events);
        Assert.Equal(0, peer.Connection.ActiveStreams);
    }

    [Fact]
    public void The_server_concurrency_limit_is_honoured()
    {
        using var peer = Client(null, (Http2SettingId.MaxConcurrentStreams, 2));
        Request(peer);
        Request(peer);

        Assert.False(peer.Connection.TryOpenStream(out _));
        peer.Feed(H2.Headers(1, H2.Block((":status", "204"))));
        Assert.True(peer.Connection.TryOpenStream(out var id));
        Assert.Equal(5u, id);
    }

    [Fact]
    public void Refused_stream_is_reported_as_not_processed()
    {
        using var peer = Client();
        Request(peer);

        peer.Feed(H2.RstStream(1, Http2ErrorCode.RefusedStream));

        Assert.Equal("reset 1 RefusedStream byPeer=True notProcessed=True", peer.Events[^1]);
    }

    [Fact]
    public void Streams_above_a_goaway_last_id_are_reported_as_not_processed_and_the_rest_go_on()
    {
        using var peer = Client();
        Request(peer);
        Request(peer);
        Request(peer);

        peer.Feed(H2.GoAway(1, Http2ErrorCode.NoError));

        Assert.Equal(
            ["reset 5 RefusedStream byPeer=True notProcessed=True", "reset 3 RefusedStream byPeer=True notProcessed=True", "goaway 1 NoError"],
            peer.Events);
        Assert.False(peer.Connection.TryOpenStream(out _));
        peer.Feed(H2.Headers(1, H2.Block((":status", "200"))));
        Assert.StartsWith("headers 1 Response", peer.Events[^1]);
        Assert.True(peer.Connection.CanClose);
    }

    [Fact]
    public void A_push_promise_or_a_server_opened_stream_is_a_protocol_error()
    {
        using var peer = Client();
        Request(peer, endStream: false);
        peer.TakeFrames();
        peer.Feed(RawFrames.Frame(Http2FrameType.PushPromise, Http2FrameFlags.EndHeaders, 1, [0, 0, 0, 2, .. H2.Block(H2.Get())]));
        Assert.Equal(["GOAWAY 0 ProtocolError"], peer.TakeFrameNames());

        using var other = Client();
        other.Feed(H2.Headers(2, H2.Block((":status", "200"))));
        Assert.Equal(["GOAWAY 0 ProtocolError"], other.TakeFrameNames());
    }

    [Fact]
    public void A_server_enabling_push_is_a_protocol_error()
    {
        using var peer = Client();

        peer.Feed(H2.Settings((Http2SettingId.EnablePush, 1)));

        Assert.Equal(["GOAWAY 0 ProtocolError"], peer.TakeFrameNames());
    }

    [Theory]
    [InlineData("no :status", "x", "y")]
    [InlineData(":status of two digits", ":status", "20")]
    [InlineData(":status 101", ":status", "101")]
    [InlineData("a request pseudo", ":path", "/")]
    public void A_malformed_response_is_reset(string rule, string name, string value)
    {
        using var peer = Client();
        Request(peer);
        peer.TakeFrames();

        peer.Feed(H2.Headers(1, H2.Block((name, value))));

        Assert.True(string.Join(", ", peer.TakeFrameNames()) == "RST_STREAM 1 ProtocolError", rule);
        Assert.Equal("reset 1 ProtocolError byPeer=False notProcessed=False", peer.Events[^1]);
    }

    [Fact]
    public void Data_before_the_response_head_is_reset()
    {
        using var peer = Client();
        Request(peer, endStream: false);
        peer.TakeFrames();

        peer.Feed(H2.Data(1, "x"));

        Assert.Equal(["RST_STREAM 1 ProtocolError"], peer.TakeFrameNames());
    }

    [Fact]
    public void A_request_body_waits_for_the_server_window()
    {
        using var peer = Client(null, (Http2SettingId.InitialWindowSize, 4));
        var id = Request(peer, endStream: false);

        Assert.Equal(4, peer.Connection.SendData(id, "abcdef"u8, endStream: true, peer.Output));
        peer.Feed(H2.WindowUpdate(id, 2));

        Assert.Equal($"window {id}", peer.Events[^1]);
        Assert.Equal(2, peer.Connection.SendData(id, "ef"u8, endStream: true, peer.Output));
        Assert.True(peer.TakeFrames()[^1].Has(Http2FrameFlags.EndStream));
    }

    [Fact]
    public void Headers_for_a_stream_reset_meanwhile_are_dropped_without_touching_hpack()
    {
        using var peer = Client();
        Assert.True(peer.Connection.TryOpenStream(out var id));
        peer.Connection.ResetStream(id, Http2ErrorCode.Cancel);
        peer.TakeFrames();

        peer.Connection.AddHeader("x-secret"u8, "one"u8);
        Assert.False(peer.Connection.SendHeaders(id, endStream: true, peer.Output));
        Assert.Empty(peer.TakeFrames());

        // The next block is decodable by a fresh decoder: nothing was indexed for the dropped one.
        Request(peer);
        Assert.Equal(4, peer.DecodeSent(peer.TakeFrames().Single()).Count);
    }
}
