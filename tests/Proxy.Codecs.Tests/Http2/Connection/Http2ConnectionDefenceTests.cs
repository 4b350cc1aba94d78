using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Codecs.Tests.Http2.Connection.TestSupport;

namespace MeshEdge.Codecs.Tests.Http2.Connection;

/// <summary>Each defence: its trigger, the exact answer, its counter, and that streams and buffered bytes stay bounded.</summary>
public class Http2ConnectionDefenceTests
{
    [Fact]
    public void Streams_past_the_concurrency_limit_are_refused_and_the_table_stays_bounded()
    {
        using var peer = Http2Peer.Server(new() { MaxConcurrentStreams = 2 });

        peer.Feed(H2.Request(1, endStream: false), H2.Request(3, endStream: false), H2.Request(5, endStream: false), H2.Data(5, "x"));

        Assert.Equal(["RST_STREAM 5 RefusedStream"], peer.TakeFrameNames());
        Assert.Equal(2, peer.Connection.ActiveStreams);
        Assert.Equal(1, peer.Connection.Counters.RefusedStreams);
        Assert.Equal(0, peer.Connection.Counters.PrematureResets);

        // Once one ends, the next is admitted.
        peer.Feed(H2.RstStream(1, Http2ErrorCode.Cancel), H2.Request(7, endStream: false));
        Assert.StartsWith("headers 7", peer.Events[^1]);
    }

    [Fact]
    public void Default_concurrency_limit_is_100()
    {
        using var peer = Http2Peer.Server();
        for (uint id = 1; id <= 201; id += 2)
        {
            peer.Feed(H2.Request(id, endStream: false));
        }

        Assert.Equal(["RST_STREAM 201 RefusedStream"], peer.TakeFrameNames());
        Assert.Equal(100, peer.Connection.ActiveStreams);
    }

    [Fact]
    public void A_continuation_flood_of_tiny_frames_gets_enhance_your_calm()
    {
        using var peer = Http2Peer.Server();
        peer.Feed(H2.Headers(1, [0x82], endHeaders: false));

        var fed = 0;
        for (var i = 0; i < 1_000 && peer.Connection.State == Http2ConnectionState.Open; i++, fed++)
        {
            peer.Feed(H2.Continuation(1, [0x82], false));
        }

        Assert.Equal(65, fed);
        Assert.Equal(["GOAWAY 1 EnhanceYourCalm"], peer.TakeFrameNames());
        Assert.Equal(1, peer.Connection.Counters.ContinuationFloods);
    }

    [Fact]
    public void A_continuation_flood_of_large_frames_stops_at_the_block_cap()
    {
        using var peer = Http2Peer.Server(new() { MaxFieldBlockSize = 40_000 });
        peer.Feed(H2.Headers(1, [0x82], endHeaders: false));

        var fed = 0;
        for (var i = 0; i < 100 && peer.Connection.State == Http2ConnectionState.Open; i++, fed++)
        {
            peer.Feed(H2.Continuation(1, new byte[16_000], false));
        }

        Assert.Equal(3, fed);
        Assert.Equal(["GOAWAY 1 EnhanceYourCalm"], peer.TakeFrameNames());
    }

    [Fact]
    public void Empty_continuations_trip_the_empty_frame_budget()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Headers(1, [0x82], endHeaders: false), H2.Continuation(1, [], false), H2.Continuation(1, [], false));

        Assert.Equal(["GOAWAY 1 EnhanceYourCalm"], peer.TakeFrameNames());
        Assert.Equal(1, peer.Connection.Counters.EmptyFrameFloods);
    }

    [Fact]
    public void Empty_data_frames_in_a_row_get_enhance_your_calm()
    {
        using var peer = Http2Peer.Server();
        peer.Feed(H2.Headers(1, H2.Block(H2.Post()), endStream: false));

        peer.Feed(H2.Data(1, []), H2.Data(1, "x"), H2.Data(1, []));
        Assert.Equal(Http2ConnectionState.Open, peer.Connection.State);
        peer.Feed(H2.Data(1, []));

        Assert.Equal(["GOAWAY 1 EnhanceYourCalm"], peer.TakeFrameNames());
        Assert.Equal(Http2ErrorReason.EmptyFrameFlood, peer.Connection.CloseError.Reason);
    }

    [Fact]
    public void Rapid_reset_spends_the_budget_with_one_stream_alive_at_a_time()
    {
        using var peer = Http2Peer.Server();
        var maxActive = 0;
        uint id = 1;
        for (; id < 4_000 && peer.Connection.State == Http2ConnectionState.Open; id += 2)
        {
            peer.Feed(H2.Request(id, endStream: false));
            maxActive = Math.Max(maxActive, peer.Connection.ActiveStreams);
            peer.Feed(H2.RstStream(id, Http2ErrorCode.Cancel));
        }

        // Envoy's rule: at 500 closed streams, at least half of them premature.
        Assert.Equal(1001u, id);
        Assert.Equal(["GOAWAY 999 EnhanceYourCalm"], peer.TakeFrameNames());
        Assert.Equal(1, peer.Connection.Counters.RapidResetTrips);
        Assert.Equal(500, peer.Connection.Counters.PrematureResets);
        Assert.Equal(1, maxActive);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public void The_rapid_reset_ratio_is_half_of_the_closed_streams(int completePerReset, bool trips)
    {
        using var peer = Http2Peer.Server();
        uint id = 1;
        var closed = 0;
        while (closed < 1_500 && peer.Connection.State == Http2ConnectionState.Open)
        {
            peer.Feed(H2.Request(id, endStream: false), H2.RstStream(id, Http2ErrorCode.Cancel));
            id += 2;
            closed++;
            for (var i = 0; i < completePerReset && peer.Connection.State == Http2ConnectionState.Open; i++, id += 2, closed++)
            {
                peer.Feed(H2.Request(id));
                peer.Connection.AddHeader(":status"u8, "204"u8);
                peer.Connection.SendHeaders(id, endStream: true, peer.Output);
            }
        }

        Assert.Equal(trips, peer.Connection.State == Http2ConnectionState.Closed);
        // Checked as a premature reset is counted: the 501st stream is the reset that finds 251 of 501 premature.
        Assert.Equal(trips ? 501 : 1_500, closed);
    }

    [Fact]
    public void Resets_after_the_response_started_are_not_premature()
    {
        using var peer = Http2Peer.Server(new() { PrematureResetMinStreams = 10 });
        for (uint id = 1; id < 200; id += 2)
        {
            peer.Feed(H2.Request(id, endStream: false));
            peer.Connection.AddHeader(":status"u8, "200"u8);
            peer.Connection.SendHeaders(id, endStream: false, peer.Output);
            peer.Feed(H2.RstStream(id, Http2ErrorCode.Cancel));
        }

        Assert.Equal(Http2ConnectionState.Open, peer.Connection.State);
        Assert.Equal(0, peer.Connection.Counters.PrematureResets);
    }

    [Fact]
    public void Made_you_reset_resets_we_are_provoked_into_count_against_the_same_budget()
    {
        using var peer = Http2Peer.Server(new() { PrematureResetMinStreams = 20 });
        uint id = 1;
        for (; id < 1_000 && peer.Connection.State == Http2ConnectionState.Open; id += 2)
        {
            // A zero WINDOW_UPDATE makes us reset a stream whose response we were about to write.
            peer.Feed(H2.Request(id), H2.WindowUpdate(id, 0));
        }

        Assert.Equal(41u, id);
        Assert.Equal("GOAWAY 39 EnhanceYourCalm", peer.TakeFrameNames()[^1]);
        Assert.Equal(20, peer.Connection.Counters.ResetsProvoked);
        Assert.Equal(0, peer.Connection.ActiveStreams);
    }

    [Fact]
    public void The_hard_premature_reset_budget_trips_whatever_the_ratio()
    {
        using var peer = Http2Peer.Server(new() { MaxPrematureResets = 5 });
        for (uint id = 1; id <= 11; id += 2)
        {
            peer.Feed(H2.Request(id, endStream: false), H2.RstStream(id, Http2ErrorCode.Cancel));
        }

        Assert.Equal(["GOAWAY 9 EnhanceYourCalm"], peer.TakeFrameNames());
    }

    [Theory]
    [InlineData("ping")]
    [InlineData("settings")]
    public void Acks_the_peer_never_reads_fill_the_control_queue_then_goaway(string kind)
    {
        using var peer = Http2Peer.Server();
        var fed = 0;
        while (peer.Connection.State == Http2ConnectionState.Open && fed < 5_000)
        {
            peer.Feed(kind == "ping" ? H2.Ping() : H2.Settings());
            fed++;
            Assert.True(peer.Connection.QueuedControlFrames <= 1_000);
        }

        Assert.Equal(1_000, fed);
        var frames = peer.TakeFrameNames();
        Assert.Equal(1_000, frames.Count);
        Assert.Equal("GOAWAY 0 EnhanceYourCalm", frames[^1]);
        Assert.Equal(1, kind == "ping" ? peer.Connection.Counters.PingFloods : peer.Connection.Counters.SettingsFloods);
    }

    [Fact]
    public void Pings_that_are_flushed_never_trip_the_queue()
    {
        using var peer = Http2Peer.Server();
        for (var i = 0; i < 3_000; i++)
        {
            peer.Feed(H2.Ping());
            peer.TakeFrames();
        }

        Assert.Equal(Http2ConnectionState.Open, peer.Connection.State);
        Assert.False(peer.Connection.HasQueuedOutput);
    }

    [Fact]
    public void A_priority_flood_gets_enhance_your_calm()
    {
        using var peer = Http2Peer.Server();
        var fed = 0;
        while (peer.Connection.State == Http2ConnectionState.Open && fed < 1_000)
        {
            peer.Feed(H2.Priority(3, 0));
            fed++;
        }

        Assert.Equal(101, fed);
        Assert.Equal(["GOAWAY 0 EnhanceYourCalm"], peer.TakeFrameNames());
        Assert.Equal(1, peer.Connection.Counters.PriorityFloods);
    }

    [Fact]
    public void A_window_update_flood_gets_enhance_your_calm()
    {
        using var peer = Http2Peer.Server();
        var fed = 0;
        while (peer.Connection.State == Http2ConnectionState.Open && fed < 1_000)
        {
            peer.Feed(H2.WindowUpdate(0, 1));
            fed++;
        }

        Assert.Equal(6, fed);
        Assert.Equal(["GOAWAY 0 EnhanceYourCalm"], peer.TakeFrameNames());
        Assert.Equal(1, peer.Connection.Counters.WindowUpdateFloods);
    }

    [Fact]
    public void Resets_we_are_made_to_send_unflushed_are_capped_by_the_control_queue()
    {
        using var peer = Http2Peer.Server(new() { MaxConcurrentStreams = 1, MaxQueuedControlFrames = 50 });
        peer.Feed(H2.Request(1, endStream: false));
        var fed = 0;
        for (uint id = 3; peer.Connection.State == Http2ConnectionState.Open && fed < 1_000; id += 2)
        {
            peer.Feed(H2.Request(id, endStream: false));
            fed++;
        }

        Assert.Equal(50, fed);
        var frames = peer.TakeFrameNames();
        Assert.Equal(50, frames.Count);
        Assert.Equal("GOAWAY 101 EnhanceYourCalm", frames[^1]);
        Assert.Equal(1, peer.Connection.Counters.ControlQueueOverflows);
    }

    [Fact]
    public void Idle_since_follows_the_active_streams()
    {
        long now = 10;
        using var peer = Http2Peer.Server(clock: () => now);
        Assert.Equal(10, peer.Connection.IdleSince);

        peer.Feed(H2.Request(1));
        Assert.Equal(-1, peer.Connection.IdleSince);

        now = 99;
        peer.Connection.ResetStream(1, Http2ErrorCode.Cancel);
        Assert.Equal(99, peer.Connection.IdleSince);
    }
}
