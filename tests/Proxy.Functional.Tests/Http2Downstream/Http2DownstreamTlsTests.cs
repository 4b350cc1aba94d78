using System.Security.Cryptography;
using MeshEdge.Functional.Tests.Harness;
using MeshEdge.Functional.Tests.Tls;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http2Downstream;

/// <summary>
/// h2 over TLS: an HTTP listener offers "h2" and "http/1.1" by ALPN unless its tls.alpn says
/// otherwise, and a client that chose h2 is served by the HTTP/2 session (curl to nginx over h1).
/// </summary>
public sealed class Http2DownstreamTlsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestCertificates _certificates = null!;
    private NginxProcess _nginx = null!;
    private readonly TempDirectory _scratch = new();

    public async Task InitializeAsync()
    {
        _certificates = await TestCertificates.CreateAsync();
        _nginx = await NginxProcess.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _nginx.DisposeAsync();
        _certificates.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public async Task Curl_over_tls_negotiates_h2_by_default_and_downloads_byte_exact()
    {
        var served = _nginx.WriteFile("tls.bin", 1024 * 1024 + 11, seed: 7);
        await using var proxy = await StartAsync(alpn: null);
        var saved = _scratch.PathOf("tls.bin");

        var curl = await TlsPeers.CurlAsync(_certificates, proxy.ListenerAddress(), "a.example.test", "-f", "-v", "-w", "%{http_version}", "-o", saved,
            TlsPeers.Url(proxy.ListenerAddress(), "a.example.test", "/tls.bin"));

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Contains("ALPN: server accepted h2", curl.Stderr, StringComparison.Ordinal);
        Assert.Equal("2", curl.Stdout.Trim());
        Assert.Equal(SHA256.HashData(served), SHA256.HashData(File.ReadAllBytes(saved)));
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_listener_whose_alpn_lists_only_http_1_1_keeps_curl_on_http_1_1()
    {
        _nginx.WriteFile("tls.bin", 1000, seed: 8);
        await using var proxy = await StartAsync(alpn: "alpn = [\"http/1.1\"]\n");

        var curl = await TlsPeers.CurlAsync(_certificates, proxy.ListenerAddress(), "a.example.test", "-f", "-o", "/dev/null", "-w", "%{http_version}",
            TlsPeers.Url(proxy.ListenerAddress(), "a.example.test", "/tls.bin"));

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal("1.1", curl.Stdout.Trim());
        await proxy.StopCleanlyAsync();
    }

    private async Task<ProxyProcess> StartAsync(string? alpn)
    {
        var certificate = await _certificates.IssueAsync("a.example.test");
        var tls = (alpn ?? "") + TlsToml.Certificate(certificate, "a.example.test");
        return await ProxyProcess.StartTomlAsync(TlsToml.Config(HttpToml.CatchAll(), tls, HttpToml.Cluster("app", _nginx.EndPoint)), output);
    }
}
