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
        import h2.config, h2.connection, h2.events

        PORT, AFTER = int(sys.argv[1]), int(sys.argv[2])

        class Upstream(asyncio.Protocol):
            def connection_made(self, transport):
                self.transport = transport
                self.h2 = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
                self.h2.initiate_connection()
                self.served = 0
                self.closing = False
                transport.write(self.h2.data_to_send())

            def data_received(self, data):
                if self.closing:
                    return
                try:
                    events = self.h2.receive_data(data)
                except Exception as error:
                    print("ERROR", error, flush=True)
                    self.transport.close()
                    return
                for event in events:
                    if isinstance(event, h2.events.DataReceived):
                        self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                    elif isinstance(event, h2.events.StreamEnded) and not self.closing:
                        body = b"served %d\n" % event.stream_id
                        self.h2.send_headers(event.stream_id, [(":status", "200"), ("content-length", str(len(body)))])
                        self.h2.send_data(event.stream_id, body, end_stream=True)
                        self.served += 1
                        if self.served == AFTER:
                            self.h2.close_connection(last_stream_id=event.stream_id)
                            self.closing = True
                            print("GOAWAY", event.stream_id, flush=True)
                            asyncio.get_running_loop().call_later(0.2, self.transport.close)
                self.transport.write(self.h2.data_to_send())

        async def main():
            server = await asyncio.get_running_loop().create_server(Upstream, "127.0.0.1", PORT)
            print("listening", flush=True)
            async with server:
                await server.serve_forever()

        asyncio.run(main())
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
