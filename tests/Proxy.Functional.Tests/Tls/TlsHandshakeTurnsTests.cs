using System.Net.Sockets;
using MeshEdge.Functional.Tests.Harness;
using MeshEdge.Functional.Tests.LiveConfig;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// What a full handshake costs in wake-ups and segments, seen from outside: a TLS listener accepts a
/// connection only once its ClientHello is there (TCP_DEFER_ACCEPT), the server's flight carries the
/// ACK of the ClientHello, and the session tickets of a handshake whose Finished came with the
/// request leave with the response instead of on their own before it.
/// </summary>
public sealed class TlsHandshakeTurnsTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// PORT EARLY_MS: the Finished and the request leave in one send; then how many bytes came back
    /// within EARLY_MS (before the backend's delayed answer), the response read whole, and whether a
    /// session ticket came with it.
    /// </summary>
    private const string Client = """
        import json, sys
        import tlsbio
        client = tlsbio.connect(int(sys.argv[1]))
        client.handshake()
        client.send(b"GET / HTTP/1.1\r\nHost: a.example.test\r\nConnection: close\r\n\r\n")
        early = client.receive_for(int(sys.argv[2]) / 1000)
        response = client.read_to_close()
        print(json.dumps({"early": early, "status": tlsbio.status(response), "ticket": client.tls.session is not None and client.tls.session.has_ticket}))
        """;

    /// <summary>
    /// PORT: five connections, each through the server's first flight; for each, how many segments
    /// the client's socket had received by then (TCP_INFO's tcpi_segs_in: the SYN-ACK, the flight,
    /// and an ACK of the ClientHello if one came on its own); each then sends its request and reads
    /// the response to the close.
    /// </summary>
    private const string SegmentCounter = """
        import json, struct, socket, sys
        import tlsbio
        TCP_INFO_SEGS_IN = 140
        counts = []
        for _ in range(5):
            client = tlsbio.connect(int(sys.argv[1]))
            client.handshake()
            info = client.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
            counts.append(struct.unpack_from("I", info, TCP_INFO_SEGS_IN)[0])
            client.send(b"GET / HTTP/1.1\r\nHost: a.example.test\r\nConnection: close\r\n\r\n")
            client.read_to_close()
            client.sock.close()
        print(json.dumps({"segments": counts}))
        """;

    private TlsBackendProxy _setup = null!;

    private ProxyProcess Proxy => _setup.Proxy;

    public async Task InitializeAsync()
    {
        _setup = await TlsBackendProxy.StartAsync(output);
    }

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task A_connection_is_accepted_once_its_first_bytes_arrive()
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(Proxy.ListenerAddress());

        // Connected, as far as the client knows; the proxy has not been woken for it.
        await Task.Delay(400);
        Assert.Equal(0, await LiveConfigFile.AcceptedAsync(Proxy, "inbound"));

        await client.SendAsync(new byte[] { 0x16 });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await LiveConfigFile.AcceptedAsync(Proxy, "inbound") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(await LiveConfigFile.AcceptedAsync(Proxy, "inbound") == 1, "the connection was not accepted once its first byte arrived\n" + Proxy.Describe());
        await Proxy.StopCleanlyAsync();
    }

    /// <summary>
    /// An HTTP listener's connections start with delayed ACKs: the server's flight acknowledges the
    /// ClientHello, where a fresh socket's quick ACK would send a segment of its own first (built and
    /// taken in by the client's core). The delayed ACK's timer (40 ms at least) could still beat a
    /// flight on a loaded machine, so one connection of five showing it is enough; with quick ACKs,
    /// every connection gets the extra segment.
    /// </summary>
    [Fact]
    public async Task The_server_flight_acknowledges_the_client_hello()
    {
        var result = await MemoryBioClient.RunAsync(SegmentCounter, _setup.Port);

        var counts = result.GetProperty("segments").EnumerateArray().Select(count => count.GetInt32()).ToList();
        Assert.True(counts.Min() == 2, "every ClientHello was acknowledged on its own (segments received by the end of the server's flight, SYN-ACK included): " + result);
        await Proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Session_tickets_wait_for_the_response_when_the_request_came_with_the_finished()
    {
        _setup.Backend.Script = _ => "delay:1500";

        var result = await MemoryBioClient.RunAsync(Client, _setup.Port, "700");

        Assert.StartsWith("HTTP/1.1 200 ", result.GetProperty("status").GetString(), StringComparison.Ordinal);
        Assert.True(result.GetProperty("ticket").GetBoolean(), "no session ticket came: " + result);
        Assert.True(result.GetProperty("early").GetInt32() == 0, "bytes came before the backend answered (tickets alone?): " + result);
        await Proxy.StopCleanlyAsync();
    }
}
