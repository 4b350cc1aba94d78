using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Codecs.Tests.Http2.Connection.TestSupport;

namespace MeshEdge.Codecs.Tests.Http2.Connection;

/// <summary>Graceful close in two phases (RFC 9113 §6.8), as Envoy drains.</summary>
public class Http2ConnectionGoAwayTests
{
    [Fact]
    public void A_drain_announces_max_id_then_the_last_processed_one()
    {
        using var peer = Http2Peer.Server();
        peer.Feed(H2.Request(1, endStream: false));

        peer.Connection.BeginDrain();
        Assert.Equal(["GOAWAY 2147483647 NoError"], peer.TakeFrameNames());
        Assert.Equal(Http2ConnectionState.Draining, peer.Connection.State);

        // Opened before the client heard: still served.
        peer.Feed(H2.Request(3, endStream: false));
        Assert.StartsWith("headers 3", peer.Events[^1]);

        peer.Connection.GoAway();
        Assert.Equal(["GOAWAY 3 NoError"], peer.TakeFrameNames());

        // Above the last id: ignored (the client knows it was not processed), its block still decoded.
        peer.Feed(H2.Request(5), H2.Headers(7, [.. H2.Block(H2.Get()), 0x80]));
        Assert.Equal(2, peer.Events.Count);
        Assert.Equal(["GOAWAY 3 CompressionError"], peer.TakeFrameNames());
    }

    [Fact]
    public void Streams_in_flight_finish_and_then_the_connection_may_close()
    {
        using var peer = Http2Peer.Server();
        peer.Feed(H2.Request(1), H2.Request(3));
        peer.Connection.GoAway();
        Assert.False(peer.Connection.CanClose);

        foreach (var id in new uint[] { 1, 3 })
        {
            peer.Connection.AddHeader(":status"u8, "200"u8);
            Assert.True(peer.Connection.SendHeaders(id, endStream: true, peer.Output));
        }

        Assert.True(peer.Connection.CanClose);
        Assert.Equal(2, peer.Connection.Counters.StreamsClosed);
    }

    [Fact]
    public void The_peer_goaway_is_reported_and_ends_new_streams()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.GoAway(0, Http2ErrorCode.NoError));

        Assert.Equal("goaway 0 NoError", peer.Events[^1]);
        Assert.Equal(Http2ConnectionState.GoingAway, peer.Connection.State);
        Assert.True(peer.Connection.CanClose);
        Assert.Equal(1, peer.Connection.Counters.GoAwaysReceived);
    }
}
