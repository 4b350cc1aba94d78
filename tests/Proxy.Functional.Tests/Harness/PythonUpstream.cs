using System.Net;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// An upstream scripted in python3 (h2c with Debian's python3-h2, make http-peers; or plain HTTP/1.1)
/// for behaviour no stock server shows on demand: the script takes its port as its first argument and
/// prints "listening" once it accepts; what else it prints is the test's to count. An h2c script
/// imports <c>h2upstream</c> (<see cref="H2UpstreamModule"/>, written next to it) and states only
/// what its server does differently.
/// </summary>
internal sealed class PythonUpstream : IAsyncDisposable
{
    /// <summary>
    /// The h2c server's common part: <c>H2Upstream</c>, a connection that numbers itself (1, 2, ...),
    /// acknowledges DATA, prints ERROR on a protocol error and CLOSED when the connection ends, and hands
    /// each event to <c>on_event</c>; <c>respond</c> sends a 200 with a body; <c>serve(cls)</c> listens on
    /// the port in argv[1] and prints "listening".
    /// </summary>
    public const string H2UpstreamModule = """
        import asyncio, sys
        import h2.config, h2.connection, h2.events

        class H2Upstream(asyncio.Protocol):
            connections = 0

            def connection_made(self, transport):
                H2Upstream.connections += 1
                self.number = H2Upstream.connections
                self.transport = transport
                self.h2 = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
                self.h2.initiate_connection()
                self.flush()

            def data_received(self, data):
                try:
                    events = self.h2.receive_data(data)
                except Exception as error:
                    print("ERROR", self.number, error, flush=True)
                    self.transport.close()
                    return
                for event in events:
                    if isinstance(event, h2.events.DataReceived):
                        self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                    self.on_event(event)
                self.flush()

            def on_event(self, event):
                pass

            def flush(self):
                self.transport.write(self.h2.data_to_send())

            def respond(self, stream_id, body):
                self.h2.send_headers(stream_id, [(":status", "200"), ("content-length", str(len(body)))])
                self.h2.send_data(stream_id, body, end_stream=True)

            def connection_lost(self, error):
                print("CLOSED", self.number, flush=True)

        def serve(protocol):
            async def main():
                server = await asyncio.get_running_loop().create_server(protocol, "127.0.0.1", int(sys.argv[1]))
                print("listening", flush=True)
                async with server:
                    await server.serve_forever()
            asyncio.run(main())
        """;

    private readonly PeerProcess _process;

    private PythonUpstream(PeerProcess process, int port)
    {
        _process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    /// <param name="name">What failure messages call it.</param>
    /// <param name="script">The python source.</param>
    /// <param name="arguments">Its arguments after the port.</param>
    public static async Task<PythonUpstream> StartAsync(string name, string script, params string[] arguments)
    {
        var directory = new TempDirectory();
        directory.Write("h2upstream.py", H2UpstreamModule);
        var path = directory.Write("server.py", script);
        var port = LoopbackPorts.Free();

        // The system interpreter: python3-h2 is a Debian package, not a pip one.
        var process = PeerProcess.Start(name, "/usr/bin/python3", [path, $"{port}", .. arguments], directory);
        await process.WaitUntilPrintedAsync("listening");
        return new PythonUpstream(process, port);
    }

    /// <summary>Lines it printed that start with <paramref name="prefix"/>.</summary>
    public int CountLinesStarting(string prefix) => _process.CountLines(line => line.StartsWith(prefix, StringComparison.Ordinal));

    public string Describe() => _process.Describe(3000);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
