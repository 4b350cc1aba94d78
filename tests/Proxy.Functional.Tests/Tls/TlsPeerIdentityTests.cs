using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// The client's identity under mTLS, with curl presenting real certificates: SAN matching refuses a
/// certificate whose SPIFFE id is not allowed (counted as san_mismatch, apart from no certificate and
/// a wrong CA); routes pick by SPIFFE id; the access log shows Envoy's downstream TLS fields.
/// </summary>
public sealed class TlsPeerIdentityTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TlsIdentity _identity = null!;
    private ScriptedHttpBackend _backend = null!;

    public async Task InitializeAsync()
    {
        _identity = await TlsIdentity.CreateAsync();
        _backend = ScriptedHttpBackend.Start();
    }

    public async Task DisposeAsync()
    {
        _backend.AssertNoErrors();
        await _backend.DisposeAsync();
        _identity.Dispose();
    }

    [Fact]
    public async Task A_spiffe_id_outside_the_allowed_prefix_is_refused_and_each_refusal_is_counted_by_reason()
    {
        var tls = _identity.TlsTable("required", "match_subject_alt_names = [{ san_type = \"uri\", prefix = \"spiffe://cluster.local/ns/prod/\" }]");
        await using var proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config(HttpToml.CatchAll(), tls, HttpToml.Cluster("app", _backend.EndPoint)), output);
        var listener = proxy.ListenerAddress();

        var frontend = await _identity.CurlAsync(listener, "/", _identity.Frontend, "-f");
        var batch = await _identity.CurlAsync(listener, "/", _identity.Batch, "-f");
        var none = await _identity.CurlAsync(listener, "/", null, "-f");
        var stranger = await _identity.CurlAsync(listener, "/", _identity.Stranger, "-f");

        Assert.True(frontend.ExitCode == 0, frontend.ToString());
        Assert.True(batch.ExitCode != 0, "a batch certificate got through: " + batch);
        Assert.True(none.ExitCode != 0, "no certificate got through: " + none);
        Assert.True(stranger.ExitCode != 0, "a stranger CA's certificate got through: " + stranger);
        Assert.Single(_backend.Requests);
        await TlsPeers.AssertFailuresReachAsync(proxy, "san_mismatch", 1);
        var stats = await TlsPeers.StatsAsync(proxy);
        Assert.Equal(1, TlsPeers.FailuresOf(stats, "no_client_certificate"));
        Assert.Equal(1, TlsPeers.FailuresOf(stats, "bad_client_certificate"));
        Assert.Equal(1, stats.GetProperty("handshakes").GetInt64());
        Assert.Contains("meshedge_tls_handshake_failures_total{listener=\"inbound\",reason=\"san_mismatch\"} 1", await proxy.AdminGetAsync("/metrics"), StringComparison.Ordinal);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Under_optional_a_dns_san_mismatch_is_refused_but_no_certificate_gets_through()
    {
        var tls = _identity.TlsTable("optional", $"match_subject_alt_names = [{{ san_type = \"dns\", exact = \"{TlsIdentity.FrontendDns.ToUpperInvariant()}\" }}]");
        await using var proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config(HttpToml.CatchAll(), tls, HttpToml.Cluster("app", _backend.EndPoint)), output);
        var listener = proxy.ListenerAddress();

        var frontend = await _identity.CurlAsync(listener, "/", _identity.Frontend, "-f");
        var batch = await _identity.CurlAsync(listener, "/", _identity.Batch, "-f");
        var none = await _identity.CurlAsync(listener, "/", null, "-f");

        Assert.True(frontend.ExitCode == 0, frontend.ToString());
        Assert.True(batch.ExitCode != 0, "a certificate without the DNS name got through: " + batch);
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Equal(2, _backend.Requests.Count);
        await TlsPeers.AssertFailuresReachAsync(proxy, "san_mismatch", 1);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Routes_pick_by_the_clients_spiffe_id_and_by_whether_it_presented_one()
    {
        var routes = $$"""
            [[listeners.http.virtual_hosts]]
            name = "all"
            domains = ["*"]
            routes = [
              { match = { prefix = "/", tls = { peer_uri_san = { exact = "{{TlsIdentity.FrontendId}}" } } }, direct_response = { status = 200, body = "prod frontend" } },
              { match = { prefix = "/", tls = { presented = true } }, direct_response = { status = 200, body = "another identity" } },
              { match = { prefix = "/", tls = { presented = false } }, direct_response = { status = 200, body = "anonymous" } },
            ]
            """;
        await using var proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config(routes, _identity.TlsTable("optional")), output);
        var listener = proxy.ListenerAddress();

        var frontend = await _identity.CurlAsync(listener, "/", _identity.Frontend, "-sf");
        var batch = await _identity.CurlAsync(listener, "/", _identity.Batch, "-sf");
        var none = await _identity.CurlAsync(listener, "/", null, "-sf");

        Assert.Equal("prod frontend", frontend.Stdout);
        Assert.Equal("another identity", batch.Stdout);
        Assert.Equal("anonymous", none.Stdout);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task The_access_log_shows_the_peers_sans_subject_fingerprint_and_the_tls_version_and_cipher()
    {
        using var directory = new TempDirectory();
        var logPath = directory.PathOf("access.log");
        var format = "%DOWNSTREAM_PEER_URI_SAN% %DOWNSTREAM_PEER_DNS_SAN% [%DOWNSTREAM_PEER_SUBJECT%] %DOWNSTREAM_PEER_FINGERPRINT_256% %DOWNSTREAM_TLS_VERSION% %DOWNSTREAM_TLS_CIPHER%";
        var http = $"access_log = {{ path = \"{logPath}\", format = \"{format}\" }}\n" + HttpToml.CatchAll();
        await using var proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config(http, _identity.TlsTable("optional"), HttpToml.Cluster("app", _backend.EndPoint)), output);
        var listener = proxy.ListenerAddress();

        var frontend = await _identity.CurlAsync(listener, "/", _identity.Frontend, "-f", "--tlsv1.3", "--tls13-ciphers", "TLS_CHACHA20_POLY1305_SHA256");
        var anonymous = await _identity.CurlAsync(listener, "/", null, "-f", "--tls-max", "1.2", "--ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384");
        Assert.True(frontend.ExitCode == 0 && anonymous.ExitCode == 0, frontend + "\n" + anonymous);
        await proxy.StopCleanlyAsync();

        var fingerprint = await TlsIdentity.FingerprintAsync(_identity.Frontend.Chain);
        Assert.Equal(
            [
                $"{TlsIdentity.FrontendId} {TlsIdentity.FrontendDns} [{TlsIdentity.FrontendSubject}] {fingerprint} TLSv1.3 TLS_CHACHA20_POLY1305_SHA256",
                "- - [-] - TLSv1.2 ECDHE-ECDSA-AES256-GCM-SHA384",
            ],
            await File.ReadAllLinesAsync(logPath));
    }
}
