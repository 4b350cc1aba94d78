using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http2Downstream;

/// <summary>
/// Request trailers on their way up (what a gRPC client-streaming call may carry): an h2 client's
/// trailing HEADERS reach an h2 upstream as trailing HEADERS and an HTTP/1.1 upstream as the trailer
/// section of a chunked body, when the request declared no length (as gRPC's) or announced its
/// trailers with a Trailer field (as nghttp --trailer does beside its content-length). Clients:
/// nghttp --trailer and a python3-h2 client shaped like a gRPC call (no content-length, te:
/// trailers). Each upstream answers with what it received: the body's length, its framing and every
/// trailer field.
/// </summary>
public sealed class Http2RequestTrailerTests(ITestOutputHelper output) : IAsyncLifetime
{
    // h2c: answers each stream with "body N", "trailer name: value" lines once the stream ends.
    private const string H2Script = """
        from h2upstream import H2Upstream, serve, h2

        class TrailerEcho(H2Upstream):
            def connection_made(self, transport):
                self.received = {}
                super().connection_made(transport)

            def on_event(self, event):
                if isinstance(event, h2.events.RequestReceived):
                    self.received[event.stream_id] = [0, []]
                elif isinstance(event, h2.events.DataReceived):
                    self.received[event.stream_id][0] += len(event.data)
                elif isinstance(event, h2.events.TrailersReceived):
                    self.received[event.stream_id][1] += event.headers
                elif isinstance(event, h2.events.StreamEnded):
                    size, trailers = self.received.pop(event.stream_id)
                    lines = ["body %d" % size] + ["trailer %s: %s" % (n.decode(), v.decode()) for n, v in trailers]
                    body = ("\n".join(lines) + "\n").encode()
                    print(body.decode(), flush=True)
                    self.respond(event.stream_id, body)

        serve(TrailerEcho)
        """;

    // HTTP/1.1: reads a request framed by content-length or chunked (with its trailer section) and
    // answers "framing X", "body N", "trailer name: value" lines; keep-alive.
    private const string H1Script = """
        import asyncio, sys

        PORT = int(sys.argv[1])

        async def serve(reader, writer):
            try:
                while True:
                    head = await reader.readuntil(b"\r\n\r\n")
                    fields = {}
                    for line in head.decode("latin-1").split("\r\n")[1:]:
                        if ":" in line:
                            name, value = line.split(":", 1)
                            fields[name.strip().lower()] = value.strip()
                    size, trailers, framing = 0, [], "none"
                    if fields.get("transfer-encoding", "").lower() == "chunked":
                        framing = "chunked"
                        while True:
                            length = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                            if length == 0:
                                break
                            size += len(await reader.readexactly(length))
                            await reader.readexactly(2)
                        while True:
                            line = (await reader.readuntil(b"\r\n")).decode("latin-1").strip()
                            if not line:
                                break
                            name, value = line.split(":", 1)
                            trailers.append("trailer %s: %s" % (name.strip().lower(), value.strip()))
                    elif "content-length" in fields:
                        framing = "length"
                        size = len(await reader.readexactly(int(fields["content-length"])))
                    body = ("\n".join(["framing " + framing, "body %d" % size] + trailers) + "\n").encode()
                    print(body.decode(), flush=True)
                    writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
                    await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError):
                writer.close()

        async def main():
            server = await asyncio.start_server(serve, "127.0.0.1", PORT)
            print("listening", flush=True)
            async with server:
                await server.serve_forever()

        asyncio.run(main())
        """;

    // h2c with prior knowledge: POSTs argv[3] bytes in 16 KiB DATA frames without a declared length,
    // then two trailer fields ending the stream; prints the response body, exits 1 on a non-200.
    private const string ClientScript = """
        import socket, sys
        import h2.config, h2.connection, h2.events

        host, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        sock = socket.create_connection((host, port), timeout=30)
        h2c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        h2c.initiate_connection()
        stream = h2c.get_next_available_stream_id()
        h2c.send_headers(stream, [(":method", "POST"), (":scheme", "http"), (":authority", "%s:%d" % (host, port)),
                                  (":path", "/pkg.Service/Upload"), ("content-type", "application/grpc"), ("te", "trailers")])
        sock.sendall(h2c.data_to_send())
        body, status, sent, done = b"", None, 0, False
        while not done:
            while sent < size and h2c.local_flow_control_window(stream) > 0:
                n = min(16384, size - sent, h2c.local_flow_control_window(stream), h2c.max_outbound_frame_size)
                h2c.send_data(stream, b"x" * n)
                sent += n
                if sent == size:
                    h2c.send_headers(stream, [("x-checksum", "42"), ("x-note", "last")], end_stream=True)
            sock.sendall(h2c.data_to_send())
            data = sock.recv(65536)
            if not data:
                break
            for event in h2c.receive_data(data):
                if isinstance(event, h2.events.ResponseReceived):
                    status = dict(event.headers)[b":status"]
                elif isinstance(event, h2.events.DataReceived):
                    body += event.data
                    h2c.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, (h2.events.StreamEnded, h2.events.StreamReset)):
                    done = True
            sock.sendall(h2c.data_to_send())
        print(body.decode(), end="")
        sys.exit(0 if status == b"200" else 1)
        """;

    private const int BodySize = 100_000;

    private readonly TempDirectory _scratch = new();
    private PythonUpstream? _server;
    private ProxyProcess? _proxy;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_server is not null)
        {
            output.WriteLine(_server.Describe());
            await _server.DisposeAsync();
        }

        _scratch.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_h2_clients_request_trailers_reach_an_h2_upstream_as_trailing_headers(bool declaredLength)
    {
        _server = await PythonUpstream.StartAsync("the h2 trailer echo", H2Script);
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", [_server.EndPoint], "protocol = \"h2c\"")), output);

        var received = declaredLength ? await NghttpPostAsync() : await GrpcShapedPostAsync();

        Assert.Contains($"body {BodySize}\n", received, StringComparison.Ordinal);
        Assert.Contains("trailer x-checksum: 42\n", received, StringComparison.Ordinal);
        Assert.Contains("trailer x-note: last\n", received, StringComparison.Ordinal);
        await _proxy.StopCleanlyAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_h2_clients_request_trailers_reach_an_http_1_1_upstream_in_a_chunked_body(bool declaredLength)
    {
        _server = await PythonUpstream.StartAsync("the HTTP/1.1 trailer echo", H1Script);
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", _server.EndPoint)), output);

        // With a declared length and a Trailer field, the body is re-framed chunked for this hop
        // (content-length would leave no place for the trailers).
        var received = declaredLength ? await NghttpPostAsync() : await GrpcShapedPostAsync();

        Assert.Contains("framing chunked\n", received, StringComparison.Ordinal);
        Assert.Contains($"body {BodySize}\n", received, StringComparison.Ordinal);
        Assert.Contains("trailer x-checksum: 42\n", received, StringComparison.Ordinal);
        Assert.Contains("trailer x-note: last\n", received, StringComparison.Ordinal);
        await _proxy.StopCleanlyAsync();
    }

    /// <summary>nghttp (h2c, prior knowledge) POSTs a body with content-length and two trailer fields; returns the upstream's answer.</summary>
    private async Task<string> NghttpPostAsync()
    {
        var upload = _scratch.PathOf("upload.bin");
        RandomFile.Write(upload, BodySize, seed: 7);
        var nghttp = await ToolRun.RunAsync("nghttp", ["--trailer", "x-checksum: 42", "--trailer", "x-note: last", "-d", upload, $"http://{_proxy!.ListenerAddress()}/upload"]);
        Assert.True(nghttp.ExitCode == 0, nghttp + "\n" + _server!.Describe());
        output.WriteLine(nghttp.Stdout);
        return nghttp.Stdout;
    }

    /// <summary>The python3-h2 client POSTs a body of no declared length and two trailer fields; returns the upstream's answer.</summary>
    private async Task<string> GrpcShapedPostAsync()
    {
        var script = _scratch.Write("client.py", ClientScript);
        var endPoint = _proxy!.ListenerAddress();
        var client = await ToolRun.RunAsync("/usr/bin/python3", [script, endPoint.Address.ToString(), $"{endPoint.Port}", $"{BodySize}"]);
        Assert.True(client.ExitCode == 0, client + "\n" + _server!.Describe());
        output.WriteLine(client.Stdout);
        return client.Stdout;
    }
}
