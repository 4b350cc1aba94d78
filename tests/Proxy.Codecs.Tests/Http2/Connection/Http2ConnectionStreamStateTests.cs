using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Codecs.Tests.Http2.Connection.TestSupport;

namespace MeshEdge.Codecs.Tests.Http2.Connection;

/// <summary>RFC 9113 §5.1 (stream states) and §5.1.1 (stream ids), each violation with the exact answer.</summary>
public class Http2ConnectionStreamStateTests
{
    [Theory]
    [InlineData("data")]
    [InlineData("rst")]
    [InlineData("window")]
    public void A_frame_on_an_idle_stream_is_a_connection_protocol_error(string kind)
    {
        using var peer = Http2Peer.Server();

        peer.Feed(kind switch
        {
            "data" => H2.Data(1, "x"),
            "rst" => H2.RstStream(1, Http2ErrorCode.Cancel),
            _ => H2.WindowUpdate(1, 10),
        });

        Assert.Equal(["GOAWAY 0 ProtocolError"], peer.TakeFrameNames());
        Assert.Equal(Http2ErrorReason.FrameOnIdleStream, peer.Connection.CloseError.Reason);
    }

    [Fact]
    public void A_priority_frame_on_an_idle_stream_is_allowed()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Priority(7, 0), H2.Request(1));

        Assert.Empty(peer.TakeFrames());
        Assert.Single(peer.Events);
    }

    [Fact]
    public void A_client_cannot_open_an_even_stream()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Request(2));

        Assert.Equal(["GOAWAY 0 ProtocolError"], peer.TakeFrameNames());
    }

    [Fact]
    public void A_stream_id_lower_than_one_already_opened_is_a_protocol_error()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Request(5), H2.Request(3));

        Assert.Equal(["GOAWAY 5 ProtocolError"], peer.TakeFrameNames());
        Assert.Equal(Http2ErrorReason.StreamIdNotIncreasing, peer.Connection.CloseError.Reason);
    }

    [Fact]
    public void Headers_on_stream_zero_is_a_protocol_error()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Request(0));

        Assert.Equal(["GOAWAY 0 ProtocolError"], peer.TakeFrameNames());
    }

    [Fact]
    public void Data_on_a_half_closed_remote_stream_is_stream_closed()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Request(1, endStream: true), H2.Data(1, "late"));

        Assert.Equal(["RST_STREAM 1 StreamClosed"], peer.TakeFrameNames());
        Assert.Equal("reset 1 StreamClosed byPeer=False notProcessed=False", peer.Events[^1]);
        Assert.Equal(0, peer.Connection.ActiveStreams);
        Assert.Equal(1, peer.Connection.Counters.ResetsProvoked);
    }

    [Fact]
    public void Headers_on_a_half_closed_remote_stream_is_stream_closed()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Request(1, endStream: true), H2.Headers(1, H2.Block(("x", "y"))));

        Assert.Equal(["RST_STREAM 1 StreamClosed"], peer.TakeFrameNames());
    }

    [Fact]
    public void Data_on_a_stream_that_closed_normally_is_stream_closed()
    {
        using var peer = Http2Peer.Server();
        peer.Feed(H2.Request(1));
        peer.Connection.AddHeader(":status"u8, "204"u8);
        peer.Connection.SendHeaders(1, endStream: true, peer.Output);
        peer.TakeFrames();

        peer.Feed(H2.Data(1, "x"));

        Assert.Equal(["RST_STREAM 1 StreamClosed"], peer.TakeFrameNames());
    }

    [Fact]
    public void Headers_on_a_stream_that_closed_normally_is_a_connection_stream_closed()
    {
        using var peer = Http2Peer.Server();
        peer.Feed(H2.Request(1));
        peer.Connection.AddHeader(":status"u8, "204"u8);
        peer.Connection.SendHeaders(1, endStream: true, peer.Output);
        peer.TakeFrames();

        peer.Feed(H2.Request(1));

        Assert.Equal(["GOAWAY 1 StreamClosed"], peer.TakeFrameNames());
    }

    [Fact]
    public void Frames_after_our_reset_are_ignored_but_their_data_still_counts_for_the_connection_window()
    {
        using var peer = Http2Peer.Server(new Http2ConnectionOptions { ConnectionWindowSize = 65_535 });
        peer.Feed(H2.Request(1, endStream: false));
        Assert.True(peer.Connection.ResetStream(1, Http2ErrorCode.Cancel));
        Assert.Equal(["RST_STREAM 1 Cancel"], peer.TakeFrameNames());

        // In flight when the reset went out: ignored, no STREAM_CLOSED, no event.
        var chunk = new byte[16_384];
        peer.Feed(H2.Data(1, chunk), H2.Data(1, chunk), H2.Headers(1, H2.Block(("t", "1"))), H2.RstStream(1, Http2ErrorCode.Cancel));

        Assert.Equal(["WINDOW_UPDATE 0 32768"], peer.TakeFrameNames());
        Assert.Single(peer.Events);
        Assert.Equal(0, peer.Connection.Counters.PrematureResets);
    }

    [Fact]
    public void A_reset_from_the_peer_removes_the_stream_and_a_later_reset_is_ignored()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Request(1, endStream: false), H2.RstStream(1, Http2ErrorCode.Cancel), H2.RstStream(1, Http2ErrorCode.Cancel), H2.WindowUpdate(1, 5));

        Assert.Equal("reset 1 Cancel byPeer=True notProcessed=False", peer.Events[^1]);
        Assert.Empty(peer.TakeFrames());
        Assert.Equal(0, peer.Connection.ActiveStreams);
        Assert.Equal(1, peer.Connection.Counters.PrematureResets);
        Assert.Equal(0, peer.Connection.SendData(1, "x"u8, true, peer.Output) + 1);
    }

    [Fact]
    public void A_self_dependent_priority_resets_only_its_stream()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Request(1, endStream: false), H2.Priority(1, 1), H2.Request(3));

        Assert.Equal(["RST_STREAM 1 ProtocolError"], peer.TakeFrameNames());
        Assert.StartsWith("headers 3", peer.Events[^1]);
    }

    [Fact]
    public void A_self_dependent_headers_frame_is_reset_and_its_block_still_updates_the_table()
    {
        using var peer = Http2Peer.Server();

        // Stream 1: priority on itself, and a literal WITH indexing (0x40) that adds x-a: b to the table.
        byte[] block = [.. H2.Block(H2.Get()), 0x40, 3, (byte)'x', (byte)'-', (byte)'a', 1, (byte)'b'];
        byte[] payload = [0, 0, 0, 1, 16, .. block];
        peer.Feed(RawFrames.Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream | Http2FrameFlags.Priority, 1, payload));

        // Stream 3 refers to the entry by index 62: decodable only if stream 1's block went through HPACK.
        peer.Feed(H2.Headers(3, [.. H2.Block(H2.Get()), 0xBE]));

        Assert.Equal(["RST_STREAM 1 ProtocolError"], peer.TakeFrameNames());
        Assert.EndsWith("x-a=b", Assert.Single(peer.Events, e => e.StartsWith("headers")));
    }

    [Fact]
    public void Push_promise_from_a_client_is_a_protocol_error()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Request(1, endStream: false), RawFrames.Frame(Http2FrameType.PushPromise, Http2FrameFlags.EndHeaders, 1, [0, 0, 0, 2, .. H2.Block(H2.Get())]));

        Assert.Equal(["GOAWAY 1 ProtocolError"], peer.TakeFrameNames());
    }

    [Fact]
    public void Trailers_without_end_stream_reset_the_stream()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Request(1, endStream: false), H2.Headers(1, H2.Block(("t", "1")), endStream: false));

        Assert.Equal(["RST_STREAM 1 ProtocolError"], peer.TakeFrameNames());
    }
}
