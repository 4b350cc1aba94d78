using System.Net.Sockets;
using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using MeshEdge.Functional.Tests.LiveConfig;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// What a full handshake costs in wake-ups, seen from outside: a TLS listener accepts a connection
/// only once its ClientHello is there (TCP_DEFER_ACCEPT), and the session tickets of a handshake whose
/// Finished came with the request leave with the response instead of on their own before it.
/// </summary>
public sealed class TlsHandshakeTurnsTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// A TLS 1.3 client over memory BIOs, so that its Finished and its request leave in one send; it
    /// then says how many bytes came back within EARLY_MS (before the backend's delayed answer),
    /// reads the response whole and says whether a session ticket came with it.
    /// </summary>
    private const string Client = """
        import json, select, socket, ssl, sys
        port, early_ms = int(sys.argv[1]), int(sys.argv[2])
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = context.wrap_bio(incoming, outgoing, server_hostname="a.example.test")
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
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
        tls.write(b"GET / HTTP/1.1\r\nHost: a.example.test\r\nConnection: close\r\n\r\n")
        sock.sendall(outgoing.read())
        early = 0
        while select.select([sock], [], [], early_ms / 1000)[0]:
            data = sock.recv(65536)
            if not data:
                break
            early += len(data)
            incoming.write(data)
        response = b""
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
        print(json.dumps({"early": early, "status": response.split(b"\r\n", 1)[0].decode(), "ticket": tls.session is not None and tls.session.has_ticket}))
        """;

    private TestCertificates _certificates = null!;
    private ScriptedHttpBackend _backend = null!;
    private ProxyProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        _certificates = await TestCertificates.CreateAsync();
        var a = await _certificates.IssueAsync("a.example.test");
        _backend = ScriptedHttpBackend.Start();
        _proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config(HttpToml.CatchAll(), TlsToml.Certificate(a, "a.example.test"), HttpToml.Cluster("app", _backend.EndPoint)), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _backend.AssertNoErrors();
        await _backend.DisposeAsync();
        _certificates.Dispose();
    }

    [Fact]
    public async Task A_connection_is_accepted_once_its_first_bytes_arrive()
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(_proxy.ListenerAddress());

        // Connected, as far as the client knows; the proxy has not been woken for it.
        await Task.Delay(400);
        Assert.Equal(0, await LiveConfigFile.AcceptedAsync(_proxy, "inbound"));

        await client.SendAsync(new byte[] { 0x16 });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await LiveConfigFile.AcceptedAsync(_proxy, "inbound") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(await LiveConfigFile.AcceptedAsync(_proxy, "inbound") == 1, "the connection was not accepted once its first byte arrived\n" + _proxy.Describe());
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Session_tickets_wait_for_the_response_when_the_request_came_with_the_finished()
    {
        _backend.Script = _ => "delay:1500";

        var run = await ToolRun.RunAsync("python3", ["-c", Client, _proxy.ListenerAddress().Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "700"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var result = JsonDocument.Parse(run.Stdout);
        Assert.StartsWith("HTTP/1.1 200 ", result.RootElement.GetProperty("status").GetString(), StringComparison.Ordinal);
        Assert.True(result.RootElement.GetProperty("ticket").GetBoolean(), "no session ticket came: " + run.Stdout);
        Assert.True(result.RootElement.GetProperty("early").GetInt32() == 0, "bytes came before the backend answered (tickets alone?): " + run.Stdout);
        await _proxy.StopCleanlyAsync();
    }
}
