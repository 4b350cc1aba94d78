using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Codecs.Tests.Http2.Connection.TestSupport;

namespace MeshEdge.Codecs.Tests.Http2.Connection;

/// <summary>RFC 9113 §6.9 both ways: receive windows opened only by what the consumer releases, send windows that block and reopen.</summary>
public class Http2ConnectionFlowControlTests
{
    private static readonly byte[] Chunk = new byte[16_384];

    [Fact]
    public void A_slow_reader_gets_no_window_update_so_the_peer_must_wait()
    {
        using var peer = Http2Peer.Server();
        peer.Feed(H2.Headers(1, H2.Block(H2.Post()), endStream: false));

        // The stream's whole 65,535-byte window, never released.
        peer.Feed(H2.Data(1, Chunk), H2.Data(1, Chunk), H2.Data(1, Chunk), H2.Data(1, new byte[16_383]));
        Assert.Empty(peer.TakeFrames());

        // One byte more is beyond what we allowed: the stream, not the connection, is reset.
        peer.Feed(H2.Data(1, "x"));
        Assert.Equal(["RST_STREAM 1 FlowControlError"], peer.TakeFrameNames());
        Assert.Equal(1, peer.Connection.Counters.FlowControlViolations);
        Assert.Equal(Http2ConnectionState.Open, peer.Connection.State);
    }

    [Fact]
    public void Released_bytes_come_back_as_window_updates_in_half_window_batches()
    {
        using var peer = Http2Peer.Server();
        peer.Feed(H2.Headers(1, H2.Block(H2.Post()), endStream: false), H2.Data(1, Chunk), H2.Data(1, Chunk));

        peer.Connection.ReleaseReceived(1, 16_384);
        Assert.Empty(peer.TakeFrames());

        peer.Connection.ReleaseReceived(1, 16_384);
        Assert.Equal(["WINDOW_UPDATE 1 32768"], peer.TakeFrameNames());

        // The window is whole again: 65,535 more bytes fit, one more does not.
        peer.Feed(H2.Data(1, Chunk), H2.Data(1, Chunk), H2.Data(1, Chunk), H2.Data(1, new byte[16_383]));
        Assert.Empty(peer.TakeFrames());
        peer.Feed(H2.Data(1, "x"));
        Assert.Equal(["RST_STREAM 1 FlowControlError"], peer.TakeFrameNames());
        Assert.Equal(Http2ConnectionState.Open, peer.Connection.State);
    }

    [Fact]
    public void Data_beyond_the_connection_window_is_a_connection_flow_control_error()
    {
        using var peer = Http2Peer.Server(new() { ConnectionWindowSize = 65_535, InitialStreamWindowSize = 1 << 20 });
        peer.Feed(H2.Headers(1, H2.Block(H2.Post()), endStream: false));

        peer.Feed(H2.Data(1, Chunk), H2.Data(1, Chunk), H2.Data(1, Chunk), H2.Data(1, Chunk));

        Assert.Equal(["GOAWAY 1 FlowControlError"], peer.TakeFrameNames());
    }

    [Fact]
    public void Padding_counts_against_the_window_and_is_released_at_once()
    {
        using var peer = Http2Peer.Server(new() { ConnectionWindowSize = 65_535 });
        peer.Feed(H2.Headers(1, H2.Block(H2.Post()), endStream: false));

        byte[] padded = [200, .. "abc"u8, .. new byte[200]];
        for (var i = 0; i < 170; i++)
        {
            peer.Feed(RawFrames.Frame(Http2FrameType.Data, Http2FrameFlags.Padded, 1, padded));
        }

        // 201 bytes of padding a frame, released by the connection itself: past half the window (at the
        // 164th frame) a WINDOW_UPDATE gives it back, for the connection and for the stream.
        Assert.Equal(["WINDOW_UPDATE 1 32964", "WINDOW_UPDATE 0 32964"], peer.TakeFrameNames());
        Assert.Equal("data 1 abc es=False", peer.Events[^1]);
    }

    [Fact]
    public void Send_stops_at_the_peer_window_and_resumes_on_window_update()
    {
        long now = 1_000;
        using var peer = Http2Peer.Server(clock: () => now);
        peer.Feed(H2.Settings((Http2SettingId.InitialWindowSize, 10)), H2.Request(1));
        peer.TakeFrames();
        peer.Connection.AddHeader(":status"u8, "200"u8);
        peer.Connection.SendHeaders(1, endStream: false, peer.Output);

        Assert.Equal(10, peer.Connection.SendData(1, "0123456789abcdef"u8, endStream: true, peer.Output));
        Assert.Equal(1_000, peer.Connection.StalledSince);
        var frames = peer.TakeFrames();
        Assert.Equal("Data 1 len=10 flags=0", frames[^1].ToString());

        now = 2_000;
        peer.Feed(H2.WindowUpdate(1, 100));
        Assert.Equal("window 1", peer.Events[^1]);
        Assert.Equal(-1, peer.Connection.StalledSince);

        Assert.Equal(6, peer.Connection.SendData(1, "abcdef"u8, endStream: true, peer.Output));
        Assert.Equal("Data 1 len=6 flags=1", peer.TakeFrames()[^1].ToString());
        Assert.Equal(0, peer.Connection.ActiveStreams);
    }

    [Fact]
    public void A_larger_initial_window_reopens_blocked_streams()
    {
        using var peer = Http2Peer.Server();
        peer.Feed(H2.Settings((Http2SettingId.InitialWindowSize, 0)), H2.Request(1));
        peer.Connection.AddHeader(":status"u8, "200"u8);
        peer.Connection.SendHeaders(1, endStream: false, peer.Output);
        Assert.Equal(0, peer.Connection.SendData(1, "abc"u8, endStream: true, peer.Output));

        peer.Feed(H2.Settings((Http2SettingId.InitialWindowSize, 3)));

        Assert.Equal("window 1", peer.Events[^1]);
        Assert.Equal(3, peer.Connection.SendData(1, "abc"u8, endStream: true, peer.Output));
    }

    [Fact]
    public void The_connection_window_blocks_every_stream_and_reopens_them_all()
    {
        using var peer = Http2Peer.Server(new() { MaxWindowUpdatesPerDataFrameSent = 100 });
        peer.Feed(H2.Settings((Http2SettingId.InitialWindowSize, 1 << 20)), H2.Request(1), H2.Request(3));
        var big = new byte[70_000];
        foreach (var id in new uint[] { 1, 3 })
        {
            peer.Connection.AddHeader(":status"u8, "200"u8);
            peer.Connection.SendHeaders(id, endStream: false, peer.Output);
        }

        Assert.Equal(65_535, peer.Connection.SendData(1, big, endStream: true, peer.Output));
        Assert.Equal(0, peer.Connection.SendData(3, big, endStream: true, peer.Output));
        Assert.True(peer.TakeFrames().Where(f => f.Type == Http2FrameType.Data).All(f => f.Payload.Length <= 16_384));

        peer.Feed(H2.WindowUpdate(0, 100_000));

        Assert.Equal(["window 1", "window 3"], peer.Events.Where(e => e.StartsWith("window")).Order());
    }

    [Fact]
    public void A_settings_change_that_overflows_an_open_window_is_a_flow_control_error()
    {
        using var peer = Http2Peer.Server();
        peer.Feed(H2.Request(1));
        peer.Feed(H2.WindowUpdate(1, 0x7FFF_FFFF - 65_535));

        peer.Feed(H2.Settings((Http2SettingId.InitialWindowSize, 65_536)));

        Assert.Equal("GOAWAY 1 FlowControlError", peer.TakeFrameNames()[^1]);
    }

    [Fact]
    public void The_peer_max_frame_size_splits_data_and_field_blocks()
    {
        using var peer = Http2Peer.Server();
        peer.Feed(H2.Settings((Http2SettingId.InitialWindowSize, 1 << 20), (Http2SettingId.MaxFrameSize, 20_000)), H2.WindowUpdate(0, 1 << 20), H2.Request(1));
        peer.TakeFrames();
        peer.Connection.AddHeader(":status"u8, "200"u8);
        peer.Connection.AddHeader("x-big"u8, new byte[30_000]);
        peer.Connection.SendHeaders(1, endStream: false, peer.Output);
        peer.Connection.SendData(1, new byte[50_000], endStream: true, peer.Output);

        var frames = peer.TakeFrames();
        Assert.Equal(
            ["Headers", "Continuation", "Data", "Data", "Data"],
            frames.Select(f => f.Type.ToString()));
        Assert.All(frames, f => Assert.True(f.Payload.Length <= 20_000));
        Assert.True(frames[1].Has(Http2FrameFlags.EndHeaders) && !frames[0].Has(Http2FrameFlags.EndHeaders));
        Assert.True(frames[4].Has(Http2FrameFlags.EndStream) && !frames[3].Has(Http2FrameFlags.EndStream));
    }
}
