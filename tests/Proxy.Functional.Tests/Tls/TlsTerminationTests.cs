using System.Text.RegularExpressions;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// TLS terminated on an HTTP listener, with real clients: curl over TLS 1.2 and 1.3, openssl s_client
/// for SNI and ALPN; the echo backend shows what reached the upstream. Two certificates from a CA made
/// at test time: a.example.test (the default) and b.example.test with *.b.example.test.
/// </summary>
public sealed partial class TlsTerminationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestCertificates _certificates = null!;
    private ScriptedHttpBackend _backend = null!;
    private ProxyProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        _certificates = await TestCertificates.CreateAsync();
        var a = await _certificates.IssueAsync("a.example.test");
        var b = await _certificates.IssueAsync("b.example.test", "*.b.example.test");
        _backend = ScriptedHttpBackend.Start();
        var tls = "handshake_timeout = \"1s\"\n" + TlsToml.Certificate(a, "a.example.test") + TlsToml.Certificate(b, "b.example.test", "*.b.example.test");
        _proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config(HttpToml.CatchAll(), tls, HttpToml.Cluster("app", _backend.EndPoint)), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _backend.AssertNoErrors();
        await _backend.DisposeAsync();
        _certificates.Dispose();
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public async Task Curl_reaches_the_upstream_over_each_version_and_the_upstream_hears_https(string version)
    {
        var listener = _proxy.ListenerAddress();

        var curl = await TlsPeers.CurlAsync(_certificates, listener, "a.example.test", "-v", "-f", "--tlsv" + version, "--tls-max", version,
            TlsPeers.Url(listener, "a.example.test", "/hello"));

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Contains($"SSL connection using TLSv{version}", curl.Stderr, StringComparison.Ordinal);
        Assert.Contains("GET /hello HTTP/1.1", curl.Stdout, StringComparison.Ordinal);
        Assert.Contains("x-forwarded-proto: https", curl.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, (await TlsPeers.StatsAsync(_proxy)).GetProperty("handshakes").GetInt64());
        await _proxy.StopCleanlyAsync();
    }

    [Theory]
    [InlineData("a.example.test", "a.example.test")]
    [InlineData("b.example.test", "b.example.test")]
    [InlineData("x.b.example.test", "b.example.test")]
    [InlineData("unknown.example.test", "a.example.test")]
    public async Task Sni_picks_the_certificate_and_alpn_settles_on_http_1_1(string serverName, string expectedSubject)
    {
        var run = await TlsPeers.SClientAsync(_certificates, _proxy.ListenerAddress(), "-servername", serverName, "-alpn", "h2,http/1.1");

        Assert.Matches($"subject=CN ?= ?{Regex.Escape(expectedSubject)}\\b", run.Stdout);
        Assert.Contains("ALPN protocol: http/1.1", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Verify return code: 0 (ok)", run.Stdout, StringComparison.Ordinal);
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_client_without_sni_gets_the_default_certificate()
    {
        var run = await TlsPeers.SClientAsync(_certificates, _proxy.ListenerAddress(), "-noservername");

        Assert.Matches("subject=CN ?= ?a\\.example\\.test\\b", run.Stdout);
        Assert.Contains("No ALPN negotiated", run.Stdout, StringComparison.Ordinal);
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Plaintext_http_on_the_tls_port_gets_400_then_is_closed_and_counted_as_not_tls()
    {
        using var client = await RawHttpClient.ConnectAsync(_proxy.ListenerAddress());
        await client.SendAsync(HttpExchange.Request("GET", "/", "a.example.test"));

        var reply = await client.ReadResponseAsync();
        Assert.Equal(400, reply.Status);
        Assert.True(reply.Closes, "the 400 does not say connection: close");
        Assert.Contains("The plain HTTP request was sent to HTTPS port", reply.BodyText, StringComparison.Ordinal);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(20)), "the plaintext connection was not closed");
        var tls = await TlsPeers.StatsAsync(_proxy);
        Assert.Equal(1, TlsPeers.FailuresOf(tls, "not_tls"));
        Assert.Equal(0, tls.GetProperty("handshakes").GetInt64());
        Assert.Empty(_backend.Requests);
        Assert.Contains("meshedge_tls_handshake_failures_total{listener=\"inbound\",reason=\"not_tls\"} 1", await _proxy.AdminGetAsync("/metrics"), StringComparison.Ordinal);
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Curl_with_http_to_the_tls_port_shows_the_400()
    {
        var listener = _proxy.ListenerAddress();

        var curl = await ToolRun.CurlAsync(["-s", "-w", "\n%{http_code}", $"http://127.0.0.1:{listener.Port}/"]);

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.EndsWith("\n400", curl.Stdout, StringComparison.Ordinal);
        Assert.Contains("The plain HTTP request was sent to HTTPS port", curl.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, TlsPeers.FailuresOf(await TlsPeers.StatsAsync(_proxy), "not_tls"));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_client_that_says_nothing_is_closed_at_the_handshake_timeout()
    {
        using var client = await RawHttpClient.ConnectAsync(_proxy.ListenerAddress());

        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(20)), "the silent connection outlived the 1s handshake timeout");
        Assert.Equal(1, TlsPeers.FailuresOf(await TlsPeers.StatsAsync(_proxy), "timeout"));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_client_offering_only_tls_1_1_is_refused_and_counted_as_version()
    {
        var run = await TlsPeers.SClientAsync(_certificates, _proxy.ListenerAddress(), "-servername", "a.example.test", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal(1, TlsPeers.FailuresOf(await TlsPeers.StatsAsync(_proxy), "version"));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Two_hundred_requests_share_one_tls_connection()
    {
        var listener = _proxy.ListenerAddress();
        var urls = Enumerable.Range(0, 200).SelectMany(i => new[] { "-o", "/dev/null", TlsPeers.Url(listener, "a.example.test", $"/r{i}") }).ToArray();

        var curl = await TlsPeers.CurlAsync(_certificates, listener, "a.example.test", ["-f", "-w", "%{http_code} %{num_connects}\n", .. urls]);

        Assert.True(curl.ExitCode == 0, curl.ToString());
        var lines = curl.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200, lines.Count(line => line.StartsWith("200 ", StringComparison.Ordinal)));
        Assert.Equal(1, lines.Sum(line => int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(200, _backend.Requests.Count);
        Assert.Equal(1, (await TlsPeers.StatsAsync(_proxy)).GetProperty("handshakes").GetInt64());
        await _proxy.StopCleanlyAsync();
    }
}
