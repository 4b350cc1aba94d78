using System.Net;
using System.Text;
using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// TLS passthrough by SNI (tcp_proxy.sni_routes): openssl s_server backends with their own
/// self-signed certificates behind one tcp listener; openssl s_client and curl reach the backend
/// the server name picks (the certificate they see says which), ALPN is the backend's own choice,
/// and what has no route, no SNI, no TLS or no hello in time goes where the config says, counted.
/// </summary>
public sealed class SniPassthroughTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EachServerNameReachesItsBackendAndTheRestTheDefault()
    {
        await using var alpha = await OpenSslServer.StartAsync("alpha", "a.example.com");
        await using var beta = await OpenSslServer.StartAsync("beta", "x.b.example.com");
        await using var fallback = await OpenSslServer.StartAsync("fallback", "fallback.example.com");
        await using var proxy = await StartAsync("""
            cluster = "fallback"
            [[listeners.tcp_proxy.sni_routes]]
            server_names = ["a.example.com"]
            cluster = "alpha"
            [[listeners.tcp_proxy.sni_routes]]
            server_names = ["*.b.example.com"]
            cluster = "beta"
            """, alpha, beta, fallback);
        var address = proxy.ListenerAddress("tls");

        Assert.Equal("alpha", await PeerOfAsync(address, "a.example.com"));
        Assert.Equal("alpha", await PeerOfAsync(address, "A.Example.COM", version: "-tls1_2"));
        Assert.Equal("beta", await PeerOfAsync(address, "x.b.example.com"));
        Assert.Equal("beta", await PeerOfAsync(address, "deep.x.b.example.com"));
        Assert.Equal("fallback", await PeerOfAsync(address, "b.example.com"));
        Assert.Equal("fallback", await PeerOfAsync(address, "unknown.example.org"));
        Assert.Equal("fallback", await PeerOfAsync(address, serverName: null));

        // curl verifies the backend's certificate against its name: only the right backend passes.
        var curl = await ToolRun.CurlAsync("--cacert", alpha.CertificatePath, "--resolve", $"a.example.com:{address.Port}:127.0.0.1", $"https://a.example.com:{address.Port}/");
        Assert.True(curl.ExitCode == 0 && curl.Stdout.Contains("s_server", StringComparison.Ordinal), $"curl to a.example.com: {curl}");

        var sni = await SniStatsAsync(proxy);
        Assert.Equal(3, sni.GetProperty("routes")[0].GetProperty("cx_total").GetInt64());
        Assert.Equal(2, sni.GetProperty("routes")[1].GetProperty("cx_total").GetInt64());
        Assert.Equal((3, 2, 1), (sni.GetProperty("default_cluster").GetInt64(), sni.GetProperty("no_match").GetInt64(), sni.GetProperty("no_sni").GetInt64()));
        var metrics = await proxy.AdminGetAsync("/metrics");
        Assert.Contains("meshedge_tcp_sni_routed_total{listener=\"tls\",route=\"0\",cluster=\"alpha\"} 3", metrics);
        Assert.Contains("meshedge_tcp_sni_routed_total{listener=\"tls\",route=\"1\",cluster=\"beta\"} 2", metrics);
        Assert.Contains("meshedge_tcp_sni_events_total{listener=\"tls\",event=\"no_sni\"} 1", metrics);

        await proxy.StopCleanlyAsync();
        Assert.Equal(5, proxy.FindLog("sni listener stats", line => line.Get("listener") == "tls")?.RequireLong("routed"));
    }

    [Fact]
    public async Task AlpnIsTheBackendsOwnChoice()
    {
        await using var h2 = await OpenSslServer.StartAsync("h2", "h2.example.com", alpn: "h2,http/1.1");
        await using var proxy = await StartAsync("""
            [[listeners.tcp_proxy.sni_routes]]
            server_names = ["h2.example.com"]
            cluster = "h2"
            """, h2);
        var address = proxy.ListenerAddress("tls");

        var offeringH2 = await OpenSslClient.HandshakeAsync(address, "h2.example.com", alpn: "h2,http/1.1");
        var offeringHttp11 = await OpenSslClient.HandshakeAsync(address, "h2.example.com", alpn: "http/1.1");
        var offeringNone = await OpenSslClient.HandshakeAsync(address, "h2.example.com");

        Assert.True(offeringH2.Alpn == "h2", offeringH2.Run.ToString());
        Assert.True(offeringHttp11.Alpn == "http/1.1", offeringHttp11.Run.ToString());
        Assert.True(offeringNone.Alpn is null && offeringNone.PeerCommonName == "h2", offeringNone.Run.ToString());
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task WithoutADefaultWhatNoRouteTakesIsClosedAndCounted()
    {
        await using var alpha = await OpenSslServer.StartAsync("alpha", "a.example.com");
        await using var proxy = await StartAsync("""
            [[listeners.tcp_proxy.sni_routes]]
            server_names = ["a.example.com"]
            cluster = "alpha"
            """, alpha);
        var address = proxy.ListenerAddress("tls");

        Assert.Equal("alpha", await PeerOfAsync(address, "a.example.com"));
        Assert.Null(await PeerOfAsync(address, "other.example.com"));
        Assert.Null(await PeerOfAsync(address, serverName: null));
        using (var plain = await Loopback.ConnectAsync(address))
        {
            await Loopback.SendAllAsync(plain, "GET / HTTP/1.1\r\nHost: a.example.com\r\n\r\n"u8.ToArray());
            Assert.True(await Loopback.WaitForCloseAsync(plain, TimeSpan.FromSeconds(15)), "a plaintext client was not closed");
        }

        var sni = await SniStatsAsync(proxy);
        Assert.Equal(
            (1L, 1L, 1L, 1L, 3L, 0L),
            (sni.GetProperty("routes")[0].GetProperty("cx_total").GetInt64(), sni.GetProperty("no_match").GetInt64(), sni.GetProperty("no_sni").GetInt64(),
                sni.GetProperty("not_tls").GetInt64(), sni.GetProperty("no_cluster").GetInt64(), sni.GetProperty("default_cluster").GetInt64()));
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task APlaintextClientGoesToTheDefaultByteForByte()
    {
        await using var alpha = await OpenSslServer.StartAsync("alpha", "a.example.com");
        await using var echo = EchoServer.Start();
        var proxy = await ProxyProcess.StartTomlAsync(Toml("cluster = \"echo\"\n[[listeners.tcp_proxy.sni_routes]]\nserver_names = [\"a.example.com\"]\ncluster = \"alpha\"\n", alpha)
            + $"[[clusters]]\nname = \"echo\"\nhosts = [\"{echo.EndPoint}\"]\n", output);
        await using (proxy)
        {
            using (var plain = await Loopback.ConnectAsync(proxy.ListenerAddress("tls")))
            {
                await Loopback.AssertEchoesAsync(plain, "not a ClientHello, passed on untouched");
            }

            Assert.Equal("alpha", await PeerOfAsync(proxy.ListenerAddress("tls"), "a.example.com"));
            var sni = await SniStatsAsync(proxy);
            Assert.Equal((1L, 1L), (sni.GetProperty("not_tls").GetInt64(), sni.GetProperty("default_cluster").GetInt64()));
            await proxy.StopCleanlyAsync();
        }
    }

    [Fact]
    public async Task SilentBrokenAndOversizedHellosAreClosedAndCounted()
    {
        await using var alpha = await OpenSslServer.StartAsync("alpha", "a.example.com");
        await using var proxy = await StartAsync("""
            cluster = "alpha"
            inspect_timeout = "300ms"
            max_client_hello_size = "4KiB"
            [[listeners.tcp_proxy.sni_routes]]
            server_names = ["a.example.com"]
            cluster = "alpha"
            """, alpha);
        var address = proxy.ListenerAddress("tls");

        // Silent past the inspect timeout; a half hello then silence; a ServerHello where a ClientHello belongs; a hello declaring 64 KiB.
        byte[][] openings =
        [
            [],
            [0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3c, 0x03, 0x03],
            [0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00],
            [0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x01, 0x00, 0x00],
        ];
        foreach (var opening in openings)
        {
            using var client = await Loopback.ConnectAsync(address);
            await Loopback.SendAllAsync(client, opening);
            Assert.True(await Loopback.WaitForCloseAsync(client, TimeSpan.FromSeconds(15)), $"not closed after {Convert.ToHexString(opening)}");
        }

        var sni = await SniStatsAsync(proxy);
        Assert.Equal(
            (2L, 1L, 1L, 0L),
            (sni.GetProperty("inspect_timeout").GetInt64(), sni.GetProperty("malformed").GetInt64(), sni.GetProperty("too_large").GetInt64(), sni.GetProperty("default_cluster").GetInt64()));
        Assert.Equal("alpha", await PeerOfAsync(address, "a.example.com"));
        await proxy.StopCleanlyAsync();
    }

    private static async Task<string?> PeerOfAsync(IPEndPoint address, string? serverName, string version = "-tls1_3")
    {
        var client = await OpenSslClient.HandshakeAsync(address, serverName, version: version);
        return client.PeerCommonName;
    }

    private static async Task<JsonElement> SniStatsAsync(ProxyProcess proxy)
    {
        using var stats = JsonDocument.Parse(await proxy.AdminGetAsync("/stats"));
        return stats.RootElement.GetProperty("listeners").GetProperty("tls").GetProperty("sni").Clone();
    }

    private Task<ProxyProcess> StartAsync(string tcpProxy, params OpenSslServer[] backends) =>
        ProxyProcess.StartTomlAsync(Toml(tcpProxy, backends), output);

    private static string Toml(string tcpProxy, params OpenSslServer[] backends)
    {
        var toml = new StringBuilder("""
            [runtime]
            workers = 1
            drain_timeout = "5s"

            [admin]
            address = "127.0.0.1:0"

            [[listeners]]
            name = "tls"
            address = "127.0.0.1:0"

            [listeners.tcp_proxy]

            """);
        toml.Append(tcpProxy).Append('\n');
        foreach (var backend in backends)
        {
            toml.Append($"[[clusters]]\nname = \"{backend.Name}\"\nhosts = [\"{backend.EndPoint}\"]\n");
        }

        return toml.ToString();
    }
}
