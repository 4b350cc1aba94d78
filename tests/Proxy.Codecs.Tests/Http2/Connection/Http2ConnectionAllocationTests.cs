using System.Buffers;
using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;

namespace MeshEdge.Codecs.Tests.Http2.Connection;

/// <summary>
/// The steady path allocates nothing: a client role and a server role wired back to back, each
/// round a POST with a body, the response head, body and trailers, windows released, control frames
/// flushed. Every outcome is checked inside the loop, so a connection that gave up cannot pass.
/// </summary>
public class Http2ConnectionAllocationTests
{
    [Fact]
    public void A_request_and_response_round_trip_allocates_nothing_once_warm()
    {
        using var client = new Http2Connection(Http2ConnectionRole.Client);
        using var server = new Http2Connection(Http2ConnectionRole.Server);
        var toServer = new ArrayBufferWriter<byte>(1 << 16);
        var toClient = new ArrayBufferWriter<byte>(1 << 16);
        var serverEvents = new CountingHandler();
        var clientEvents = new CountingHandler();
        client.Start(toServer);
        server.Start(toClient);
        Pump(client, server, toServer, toClient, ref serverEvents, ref clientEvents);

        // Over half a stream window, so each round also sends WINDOW_UPDATEs for the stream (and now and then the connection).
        var body = new byte[40_000];
        for (var warm = 0; warm < 3; warm++)
        {
            Assert.True(RoundTrip(client, server, toServer, toClient, body, ref serverEvents, ref clientEvents));
        }

        var failed = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            failed += RoundTrip(client, server, toServer, toClient, body, ref serverEvents, ref clientEvents) ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failed);
        Assert.Equal(0, allocated);
        Assert.Equal(203, server.Counters.StreamsClosed);
        Assert.Equal(0, server.ActiveStreams + client.ActiveStreams);
    }

    private static bool RoundTrip(Http2Connection client, Http2Connection server, ArrayBufferWriter<byte> toServer, ArrayBufferWriter<byte> toClient, byte[] body, ref CountingHandler serverEvents, ref CountingHandler clientEvents)
    {
        var (serverBefore, clientBefore) = (serverEvents, clientEvents);
        if (!client.TryOpenStream(out var id))
        {
            return false;
        }

        var ok = client.AddHeader(":method"u8, "POST"u8) & client.AddHeader(":scheme"u8, "http"u8)
            & client.AddHeader(":authority"u8, "example.com"u8) & client.AddHeader(":path"u8, "/pkg.Service/Method"u8)
            & client.AddHeader("content-type"u8, "application/grpc"u8) & client.AddHeader("te"u8, "trailers"u8);
        ok &= client.SendHeaders(id, endStream: false, toServer);
        ok &= client.SendData(id, body, endStream: true, toServer) == body.Length;
        Pump(client, server, toServer, toClient, ref serverEvents, ref clientEvents);

        ok &= server.AddHeader(":status"u8, "200"u8) & server.AddHeader("content-type"u8, "application/grpc"u8);
        ok &= server.SendHeaders(id, endStream: false, toClient);
        ok &= server.SendData(id, body, endStream: false, toClient) == body.Length;
        ok &= server.AddHeader("grpc-status"u8, "0"u8);
        ok &= server.SendHeaders(id, endStream: true, toClient);
        Pump(client, server, toServer, toClient, ref serverEvents, ref clientEvents);

        // Both sides release what they read, so windows come back with WINDOW_UPDATEs.
        server.ReleaseReceived(id, body.Length);
        client.ReleaseReceived(id, body.Length);
        Pump(client, server, toServer, toClient, ref serverEvents, ref clientEvents);

        return ok
            && serverEvents.Heads == serverBefore.Heads + 1 && serverEvents.DataBytes == serverBefore.DataBytes + body.Length && serverEvents.Ends == serverBefore.Ends + 1
            && clientEvents.Heads == clientBefore.Heads + 2 && clientEvents.DataBytes == clientBefore.DataBytes + body.Length && clientEvents.Ends == clientBefore.Ends + 1
            && serverEvents.Resets + clientEvents.Resets == 0
            && server.State == Http2ConnectionState.Open && client.State == Http2ConnectionState.Open;
    }

    /// <summary>Moves bytes both ways until neither side has anything left to say.</summary>
    private static void Pump(Http2Connection client, Http2Connection server, ArrayBufferWriter<byte> toServer, ArrayBufferWriter<byte> toClient, ref CountingHandler serverEvents, ref CountingHandler clientEvents)
    {
        for (var round = 0; round < 4; round++)
        {
            client.Flush(toServer);
            server.Flush(toClient);
            if (toServer.WrittenCount > 0)
            {
                var taken = server.Receive(toServer.WrittenSpan, ref serverEvents);
                Assert.True(taken == toServer.WrittenCount);
                toServer.ResetWrittenCount();
            }

            if (toClient.WrittenCount > 0)
            {
                var taken = client.Receive(toClient.WrittenSpan, ref clientEvents);
                Assert.True(taken == toClient.WrittenCount);
                toClient.ResetWrittenCount();
            }
        }
    }

    private struct CountingHandler : IHttp2ConnectionHandler
    {
        public int Heads;
        public long DataBytes;
        public int Ends;
        public int Resets;

        public void OnHeaders(uint streamId, Http2HeadersKind kind, in Http2HeaderFields fields, bool endStream)
        {
            Heads++;
            Ends += endStream ? 1 : 0;
        }

        public void OnData(uint streamId, ReadOnlySpan<byte> data, bool endStream)
        {
            DataBytes += data.Length;
            Ends += endStream ? 1 : 0;
        }

        public void OnStreamReset(in Http2StreamReset reset) => Resets++;

        public readonly void OnGoAway(uint lastStreamId, Http2ErrorCode code, ReadOnlySpan<byte> debugData)
        {
        }

        public readonly void OnWindowOpened(uint streamId)
        {
        }
    }
}
