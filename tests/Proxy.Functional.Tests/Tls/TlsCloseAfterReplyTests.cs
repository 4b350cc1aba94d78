using System.Globalization;
using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// How a connection ends after a reply that closes it. A client that asked for the close (HTTP/1.0)
/// and sent nothing beyond its request is closed at once, as nginx and HAProxy do, without waiting
/// for its FIN; one that may still be sending (bytes after its request) gets the lingering close:
/// the write side shut, whatever comes read and dropped, so a reset cannot destroy the reply. Seen
/// from the client: once the reply has ended, it sends a few bytes more; a closed socket answers
/// them with a reset, a lingering one takes them.
/// </summary>
public sealed class TlsCloseAfterReplyTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// PORT TLS EXTRA: one HTTP/1.0 request (over TLS 1.3 through memory BIOs when TLS is 1, so the
    /// raw socket stays the client's), then EXTRA bytes in the same send; reads to the server's
    /// close (close_notify or FIN) without closing or shutting down its own side; then sends a byte,
    /// waits, and sends another, the second raising an error when the first met a reset.
    /// </summary>
    private const string Client = """
        import json, socket, ssl, sys, time
        port, use_tls, extra = int(sys.argv[1]), sys.argv[2] == "1", int(sys.argv[3])
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        request = b"GET / HTTP/1.0\r\nHost: a.example.test\r\nx-action: big:300000\r\n\r\n" + b"x" * extra
        response = b""
        if use_tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            context.minimum_version = ssl.TLSVersion.TLSv1_3
            incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
            tls = context.wrap_bio(incoming, outgoing, server_hostname="a.example.test")
            while True:
                try:
                    tls.do_handshake()
                    break
                except ssl.SSLWantReadError:
                    if outgoing.pending:
                        sock.sendall(outgoing.read())
                    data = sock.recv(65536)
                    if not data:
                        sys.exit("closed during the handshake")
                    incoming.write(data)
            tls.write(request)
            sock.sendall(outgoing.read())
            while True:
                try:
                    chunk = tls.read(65536)
                    if not chunk:
                        break
                    response += chunk
                except ssl.SSLWantReadError:
                    data = sock.recv(65536)
                    if not data:
                        break
                    incoming.write(data)
                except ssl.SSLZeroReturnError:
                    break
        else:
            sock.sendall(request)
            while chunk := sock.recv(65536):
                response += chunk
        head, _, body = response.partition(b"\r\n\r\n")
        reset = False
        try:
            sock.send(b"late")
            time.sleep(0.5)
            sock.send(b"late")
        except (ConnectionResetError, BrokenPipeError):
            reset = True
        print(json.dumps({"status": head.split(b"\r\n", 1)[0].decode(), "body": len(body), "reset": reset}))
        """;

    private const int BodyBytes = 300000;

    private TestCertificates _certificates = null!;
    private ScriptedHttpBackend _backend = null!;
    private ProxyProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        _certificates = await TestCertificates.CreateAsync();
        _backend = ScriptedHttpBackend.Start();
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        _backend.AssertNoErrors();
        await _backend.DisposeAsync();
        _certificates.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_one_request_client_gets_its_whole_response_and_a_close_without_waiting_for_its_fin(bool tls)
    {
        var result = await RunClientAsync(tls, extra: 0);

        Assert.True(result.GetProperty("body").GetInt32() == BodyBytes, "the response was cut: " + result);
        Assert.True(result.GetProperty("reset").GetBoolean(), "the proxy kept its side open after the reply (a lingering close): " + result);
        await _proxy.StopCleanlyAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_client_that_sent_more_than_its_request_gets_the_lingering_close(bool tls)
    {
        var result = await RunClientAsync(tls, extra: 100);

        Assert.True(result.GetProperty("body").GetInt32() == BodyBytes, "the response was cut: " + result);
        Assert.False(result.GetProperty("reset").GetBoolean(), "the proxy closed with unread bytes (a reset instead of lingering): " + result);
        await _proxy.StopCleanlyAsync();
    }

    private async Task<JsonElement> RunClientAsync(bool tls, int extra)
    {
        var cluster = HttpToml.Cluster("app", _backend.EndPoint);
        string config;
        if (tls)
        {
            var a = await _certificates.IssueAsync("a.example.test");
            config = TlsToml.Config(HttpToml.CatchAll(), TlsToml.Certificate(a, "a.example.test"), cluster);
        }
        else
        {
            config = TlsToml.WithAdmin(HttpToml.Config(HttpToml.CatchAll(), cluster));
        }

        _proxy = await ProxyProcess.StartTomlAsync(config, output);
        var run = await ToolRun.RunAsync("python3", ["-c", Client, _proxy.ListenerAddress().Port.ToString(CultureInfo.InvariantCulture), tls ? "1" : "0", extra.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var result = JsonDocument.Parse(run.Stdout);
        var root = result.RootElement.Clone();
        Assert.True(root.GetProperty("status").GetString()!.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal), "not a 200: " + root + "\n" + _proxy.Describe());
        return root;
    }
}
