using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// Mutual TLS on an HTTP listener, with curl as the client: a certificate from the listener's client
/// CA gets through; none, or one from another CA, is refused in the handshake and counted by reason.
/// </summary>
public sealed class TlsMutualTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Name = "a.example.test";
    private TestCertificates _servers = null!;
    private TestCertificates _clients = null!;
    private TestCertificates _strangers = null!;
    private ScriptedHttpBackend _backend = null!;
    private (string Chain, string Key) _serverCertificate;

    public async Task InitializeAsync()
    {
        _servers = await TestCertificates.CreateAsync();
        _clients = await TestCertificates.CreateAsync();
        _strangers = await TestCertificates.CreateAsync();
        _serverCertificate = await _servers.IssueAsync(Name);
        _backend = ScriptedHttpBackend.Start();
    }

    public async Task DisposeAsync()
    {
        _backend.AssertNoErrors();
        await _backend.DisposeAsync();
        _servers.Dispose();
        _clients.Dispose();
        _strangers.Dispose();
    }

    [Fact]
    public async Task A_certificate_from_the_client_ca_gets_through()
    {
        await using var proxy = await StartAsync("required");
        var client = await _clients.IssueAsync("client.example.test");

        var curl = await CurlAsync(proxy, "--cert", client.Chain, "--key", client.Key);

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Single(_backend.Requests);
        Assert.Equal(1, (await TlsPeers.StatsAsync(proxy)).GetProperty("handshakes").GetInt64());

        // The client CA, named by a file and not by a secret, is listed as Envoy lists each context's CA.
        using var certs = JsonDocument.Parse(await proxy.AdminGetAsync("/certs"));
        var ca = Assert.Single(certs.RootElement.GetProperty("ca_certificates").EnumerateArray());
        Assert.Equal(
            ("inbound.client_ca", _clients.CaPath, "CN=MeshEdge Test CA"),
            (ca.GetProperty("name").GetString(), ca.GetProperty("source").GetString(), ca.GetProperty("subject").GetString()));
        Assert.Equal(["inbound"], ca.GetProperty("listeners").EnumerateArray().Select(l => l.GetString()));
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task No_certificate_is_refused_when_one_is_required()
    {
        await using var proxy = await StartAsync("required");

        var curl = await CurlAsync(proxy);

        Assert.NotEqual(0, curl.ExitCode);
        Assert.Empty(_backend.Requests);
        await TlsPeers.AssertFailuresReachAsync(proxy, "no_client_certificate", 1);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_certificate_from_another_ca_is_refused()
    {
        await using var proxy = await StartAsync("required");
        var stranger = await _strangers.IssueAsync("client.example.test");

        var curl = await CurlAsync(proxy, "--cert", stranger.Chain, "--key", stranger.Key);

        Assert.NotEqual(0, curl.ExitCode);
        Assert.Empty(_backend.Requests);
        await TlsPeers.AssertFailuresReachAsync(proxy, "bad_client_certificate", 1);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Optional_lets_a_client_without_a_certificate_through()
    {
        await using var proxy = await StartAsync("optional");

        var curl = await CurlAsync(proxy);

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Single(_backend.Requests);
        await proxy.StopCleanlyAsync();
    }

    private Task<ProxyProcess> StartAsync(string mode)
    {
        var tls = $"client_certificate = \"{mode}\"\nclient_ca = \"{_clients.CaPath}\"\n" + TlsToml.Certificate(_serverCertificate);
        return ProxyProcess.StartTomlAsync(TlsToml.Config(HttpToml.CatchAll(), tls, HttpToml.Cluster("app", _backend.EndPoint)), output);
    }

    private Task<ToolRun> CurlAsync(ProxyProcess proxy, params string[] arguments)
    {
        var listener = proxy.ListenerAddress();
        return TlsPeers.CurlAsync(_servers, listener, Name, ["-f", .. arguments, TlsPeers.Url(listener, Name, "/")]);
    }
}
