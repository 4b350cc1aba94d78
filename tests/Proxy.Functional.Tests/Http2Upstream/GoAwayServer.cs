using System.Net;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Http2Upstream;

/// <summary>
/// An h2c upstream scripted with python3-h2 that ends every connection after a few requests the
/// way a server does in a graceful restart or a connection-age limit: GOAWAY (NO_ERROR) naming the
/// last stream it answered, then the close; streams the client opened above it are never answered.
/// It prints "GOAWAY" per connection so a test knows the case happened.
/// </summary>
internal sealed class GoAwayServer : IAsyncDisposable
{
    private const string Script = """
        import asyncio, sys
        from h2upstream import H2Upstream, serve, h2

        AFTER = int(sys.argv[2])

        class GoesAway(H2Upstream):
            served = 0
            closing = False

            def data_received(self, data):
                if not self.closing:
                    super().data_received(data)

            def on_event(self, event):
                if isinstance(event, h2.events.StreamEnded) and not self.closing:
                    self.respond(event.stream_id, b"served %d\n" % event.stream_id)
                    self.served += 1
                    if self.served == AFTER:
                        self.h2.close_connection(last_stream_id=event.stream_id)
                        self.closing = True
                        print("GOAWAY", event.stream_id, flush=True)
                        asyncio.get_running_loop().call_later(0.2, self.transport.close)

        serve(GoesAway)
        """;

    private readonly PythonUpstream _server;

    private GoAwayServer(PythonUpstream server)
    {
        _server = server;
    }

    public IPEndPoint EndPoint => _server.EndPoint;

    /// <summary>Starts it; each connection serves <paramref name="requestsPerConnection"/> requests, then goes away.</summary>
    public static async Task<GoAwayServer> StartAsync(int requestsPerConnection) =>
        new(await PythonUpstream.StartAsync("the GOAWAY server", Script, $"{requestsPerConnection}"));

    /// <summary>GOAWAY frames it sent so far.</summary>
    public int GoAwaysSent() => _server.CountLinesStarting("GOAWAY");

    public string Describe() => _server.Describe();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
