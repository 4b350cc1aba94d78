using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MeshEdge.Functional.Tests.Harness;
using MeshEdge.Functional.Tests.Tls;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http2Upstream;

/// <summary>
/// HTTP/1.1 clients (curl, wrk) through MeshEdge to HTTP/2 upstreams (<c>protocol = "h2"</c>):
/// nghttpd over h2c and over TLS with ALPN h2, and a python3-h2 server that goes away with GOAWAY.
/// Bodies are compared byte for byte; multiplexing is shown by the connections the upstream saw.
/// Every test stops the proxy cleanly: exit 0 is the buffer pool's leak check.
/// </summary>
public sealed partial class Http2UpstreamTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _scratch = new();
    private NghttpdProcess? _nghttpd;
    private ProxyProcess? _proxy;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_nghttpd is not null)
        {
            output.WriteLine(_nghttpd.Describe());
            await _nghttpd.DisposeAsync();
        }

        _scratch.Dispose();
    }

    [Fact]
    public async Task A_download_and_a_large_upload_cross_h2c_byte_exact_on_one_connection()
    {
        _nghttpd = await NghttpdProcess.StartAsync();
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", [_nghttpd.EndPoint], "protocol = \"h2c\"")), output);
        await DownloadAndUploadAsync(_nghttpd, _proxy);

        await _proxy.StopCleanlyAsync();
        var http2 = Http2Stats(_proxy);
        Assert.Equal(1, http2.RequireLong("upstream_cx_http2_total"));
        Assert.Equal(2, http2.RequireLong("streams_total"));
        Assert.Equal(0, http2.RequireLong("tx_reset"));
        Assert.Equal(0, http2.RequireLong("rx_reset"));
    }

    [Fact]
    public async Task Over_tls_alpn_negotiates_h2_and_bodies_cross_byte_exact()
    {
        using var certificates = await TestCertificates.CreateAsync();
        var server = await certificates.IssueAsync("backend.test");
        _nghttpd = await NghttpdProcess.StartAsync(tls: server);
        var tls = $"protocol = \"h2\"\ntls = {{ sni = \"backend.test\", ca = \"{certificates.CaPath}\" }}";
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", [_nghttpd.EndPoint], tls)), output);
        await DownloadAndUploadAsync(_nghttpd, _proxy);

        await _proxy.StopCleanlyAsync();
        Assert.Equal(1, Http2Stats(_proxy).RequireLong("upstream_cx_http2_total"));
        Assert.True(_nghttpd.CountLines("recv HEADERS frame") >= 2, _nghttpd.Describe());
    }

    [Fact]
    public async Task Two_hundred_concurrent_clients_share_two_multiplexed_connections()
    {
        _nghttpd = await NghttpdProcess.StartAsync();
        _nghttpd.WriteFile("small.bin", 700, seed: 3);
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", [_nghttpd.EndPoint], "protocol = \"h2c\"")), output);
        var before = _nghttpd.ConnectionsSeen();

        var requests = await WrkAsync(200, "3s", $"http://{_proxy.ListenerAddress()}/small.bin");

        await _proxy.StopCleanlyAsync();
        var connections = _nghttpd.ConnectionsSeen() - before;
        var http2 = Http2Stats(_proxy);
        output.WriteLine($"{requests} requests over {connections} upstream connections");

        // 200 streams at once, 100 per connection (nghttpd's and our limit): two connections.
        Assert.InRange(connections, 1, 3);
        Assert.True(http2.RequireLong("streams_total") >= requests, http2.ToString());
        Assert.Equal(0, http2.RequireLong("streams_unprocessed"));
    }

    [Fact]
    public async Task A_server_that_allows_two_streams_gets_two_per_connection_and_more_connections()
    {
        _nghttpd = await NghttpdProcess.StartAsync(maxConcurrentStreams: 2);
        _nghttpd.WriteFile("small.bin", 300, seed: 4);
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", [_nghttpd.EndPoint], "protocol = \"h2c\"")), output);
        var before = _nghttpd.ConnectionsSeen();

        var requests = await WrkAsync(10, "2s", $"http://{_proxy.ListenerAddress()}/small.bin");

        await _proxy.StopCleanlyAsync();
        var connections = _nghttpd.ConnectionsSeen() - before;
        var http2 = Http2Stats(_proxy);
        output.WriteLine($"{requests} requests over {connections} upstream connections");

        // The server's SETTINGS_MAX_CONCURRENT_STREAMS is honoured: nothing is refused, and the ten
        // concurrent requests spread over more connections instead.
        Assert.True(connections >= 3, $"{connections} connections for 10 concurrent requests at 2 streams each\n{http2}");
        Assert.Equal(0, http2.RequireLong("streams_unprocessed"));
        Assert.Equal(0, http2.RequireLong("rx_reset"));
    }

    [Fact]
    public async Task Connections_that_go_away_under_load_fail_no_request()
    {
        await using var server = await GoAwayServer.StartAsync(requestsPerConnection: 50);
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", [server.EndPoint], "protocol = \"h2c\"")), output);

        var requests = await WrkAsync(20, "3s", $"http://{_proxy.ListenerAddress()}/any");

        await _proxy.StopCleanlyAsync();
        var http2 = Http2Stats(_proxy);
        output.WriteLine($"{requests} requests; {server.GoAwaysSent()} GOAWAYs sent; {http2}");
        Assert.True(server.GoAwaysSent() >= 2, server.Describe());
        Assert.True(http2.RequireLong("goaway_rx") >= 2, http2.ToString());
        Assert.True(http2.RequireLong("upstream_cx_http2_total") >= 3, http2.ToString());
    }

    private async Task DownloadAndUploadAsync(NghttpdProcess nghttpd, ProxyProcess proxy)
    {
        var served = nghttpd.WriteFile("big.bin", (3 * 1024 * 1024) + 5, seed: 1);
        var saved = _scratch.PathOf("big.bin");
        var curl = await ToolRun.CurlAsync("-f", "-o", saved, $"http://{proxy.ListenerAddress()}/big.bin");
        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal(SHA256.HashData(served), SHA256.HashData(File.ReadAllBytes(saved)));

        // Larger than every window on the way: the body crosses only as WINDOW_UPDATEs come back.
        var upload = new byte[(4 * 1024 * 1024) + 3];
        new Random(2).NextBytes(upload);
        var source = _scratch.PathOf("upload.bin");
        File.WriteAllBytes(source, upload);
        var echoed = _scratch.PathOf("echoed.bin");
        curl = await ToolRun.CurlAsync("-f", "--data-binary", "@" + source, "-o", echoed, $"http://{proxy.ListenerAddress()}/echo");
        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal(SHA256.HashData(upload), SHA256.HashData(File.ReadAllBytes(echoed)));
    }

    /// <summary>wrk for <paramref name="duration"/> over <paramref name="connections"/> client connections; asserts every answer was a 2xx and no socket failed, and returns the requests made.</summary>
    private static async Task<long> WrkAsync(int connections, string duration, string url)
    {
        var wrk = await ToolRun.RunAsync("wrk", ["-t", "2", "-c", $"{connections}", "-d", duration, url]);
        Assert.True(wrk.ExitCode == 0, wrk.ToString());
        Assert.DoesNotContain("Non-2xx", wrk.Stdout);
        Assert.DoesNotContain("Socket errors", wrk.Stdout);
        var requests = long.Parse(RequestsLine().Match(wrk.Stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(requests >= 20, wrk.ToString());
        return requests;
    }

    private static LogLine Http2Stats(ProxyProcess proxy) =>
        proxy.FindLog("cluster http2 stats") ?? throw new Xunit.Sdk.XunitException("no \"cluster http2 stats\" line at exit\n" + proxy.Describe());

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();
}
