using System.Net.Sockets;
using System.Text;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// protocol = "auto": one port serves HTTP/1, Bolt and raw TCP, told apart by the first bytes; a
/// client that says nothing within the detection timeout goes to the TCP proxy (or is closed when
/// the listener has none).
/// </summary>
public sealed class ProtocolDetectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OnePortServesHttpBoltAndTcpByTheirFirstBytes()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = await StartAsync($$"""
            tcp_proxy = { cluster = "echo" }
            rpc_proxy = { cluster = "echo" }
            [listeners.http]
            [[listeners.http.virtual_hosts]]
            name = "all"
            routes = [{ match = { prefix = "/" }, direct_response = { status = 200, body = "http here" } }]

            [[clusters]]
            name = "echo"
            hosts = ["{{echo.EndPoint}}"]
            """);
        var address = proxy.ListenerAddress("mixed");

        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) })
        {
            Assert.Equal("http here", await http.GetStringAsync($"http://{address}/anything"));
        }

        // A Bolt v1 heartbeat: the RPC session answers it itself, echoing the request id.
        using (var bolt = await Loopback.ConnectAsync(address))
        {
            byte[] heartbeat = [0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x30, 0x39, 0x01, 0x00, 0x00, 0x03, 0xe8, 0, 0, 0, 0, 0, 0, 0, 0];
            await Loopback.SendAllAsync(bolt, heartbeat);
            var reply = await Loopback.ReceiveExactlyAsync(bolt, 20);
            Assert.Equal((byte)0x01, reply[0]);
            Assert.Equal((byte)0x00, reply[1]);
            Assert.Equal(new byte[] { 0x00, 0x00, 0x30, 0x39 }, reply[5..9]);
        }

        // Anything else goes to the TCP proxy, byte for byte.
        using (var raw = await Loopback.ConnectAsync(address))
        {
            await Loopback.AssertEchoesAsync(raw, "\u0007 not a protocol we know");
        }

        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task ASilentClientGoesToTheTcpProxyAfterTheDetectionTimeout()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = await StartAsync($$"""
            detection_timeout = "300ms"
            tcp_proxy = { cluster = "echo" }

            [[clusters]]
            name = "echo"
            hosts = ["{{echo.EndPoint}}"]
            """);

        using var client = await Loopback.ConnectAsync(proxy.ListenerAddress("mixed"));
        Assert.True(await Progress.WaitUntilAsync(() => echo.Accepted >= 1, TimeSpan.FromSeconds(10)), "the silent client never reached the TCP proxy");
        await Loopback.AssertEchoesAsync(client, "spoke only after the timeout");
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task WithoutATcpProxyUnknownBytesAreClosed()
    {
        await using var proxy = await StartAsync("""
            [listeners.http]
            [[listeners.http.virtual_hosts]]
            name = "all"
            routes = [{ match = { prefix = "/" }, direct_response = { status = 204 } }]
            """);

        using var client = await Loopback.ConnectAsync(proxy.ListenerAddress("mixed"));
        await Loopback.SendAllAsync(client, Encoding.ASCII.GetBytes("\u0016\u0003\u0001 a TLS hello nobody here speaks"));
        Assert.True(await Loopback.WaitForCloseAsync(client, TimeSpan.FromSeconds(10)), "an unrecognised protocol was not closed");

        // Counted where an operator looks: /metrics, /stats and the exit line.
        var metrics = await proxy.AdminGetAsync("/metrics");
        Assert.Contains("meshedge_listener_detection_failures_total{listener=\"mixed\"} 1", metrics);
        Assert.Contains("\"detection_failures\": 1", await proxy.AdminGetAsync("/stats"));
        await proxy.StopCleanlyAsync();
        Assert.Equal(1, proxy.ListenerStats("mixed").RequireLong("detection_failures"));
    }

    private Task<ProxyProcess> StartAsync(string listenerRest)
    {
        var toml = """
            [runtime]
            workers = 1
            drain_timeout = "5s"

            [admin]
            address = "127.0.0.1:0"

            [[listeners]]
            name = "mixed"
            address = "127.0.0.1:0"
            protocol = "auto"

            """ + listenerRest;
        return ProxyProcess.StartTomlAsync(toml, output);
    }
}
