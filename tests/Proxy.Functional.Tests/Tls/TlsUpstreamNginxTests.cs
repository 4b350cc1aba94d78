using System.Net;
using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// TLS origination to Debian's nginx, which requires a client certificate (<c>ssl_verify_client on</c>)
/// from the test CA: MeshEdge verifies nginx's certificate (CA and names) and presents its own.
/// Clusters that trust another CA or expect another name fail the connect (502, as any connect
/// failure) and count why; sessions are resumed by the next connection to the same host.
/// </summary>
public sealed class TlsUpstreamNginxTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ServerName = NginxTlsOrigin.ServerName;
    private const string SpiffeId = NginxTlsOrigin.SpiffeId;
    private NginxTlsOrigin _origin = null!;
    private TestCertificates _otherCa = null!;
    private (string Chain, string Key) _client;

    public async Task InitializeAsync()
    {
        _origin = await NginxTlsOrigin.StartAsync();
        _otherCa = await TestCertificates.CreateAsync();
        _client = await _origin.Certificates.IssueAsync("meshedge.client.test");
    }

    public async Task DisposeAsync()
    {
        await _origin.DisposeAsync();
        _otherCa.Dispose();
    }

    /// <summary>The cluster's tls table: the test CA, the client certificate, and <paramref name="extra"/> lines.</summary>
    private string Tls(string extra = "", string? ca = null) => $"""
        [clusters.tls]
        ca = "{ca ?? _origin.Certificates.CaPath}"
        certificate_chain = "{_client.Chain}"
        private_key = "{_client.Key}"
        {extra}
        """;

    private Task<ProxyProcess> StartAsync(string clusterExtras) =>
        ProxyProcess.StartTomlAsync(TlsToml.WithAdmin(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", [_origin.EndPoint], clusterExtras))), output);

    [Fact]
    public async Task Nginx_gets_the_client_certificate_and_the_server_name_and_answers()
    {
        await using var proxy = await StartAsync(Tls($"sni = \"{ServerName}\""));

        using var response = await GetAsync(proxy);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(64, (await response.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal("CN=meshedge.client.test", Header(response, "x-ssl-client-subject"));
        Assert.Equal(ServerName, Header(response, "x-ssl-server-name"));
        var tls = await ClusterTlsAsync(proxy);
        Assert.True(tls.GetProperty("handshakes").GetInt64() >= 1, tls.ToString());
        Assert.Equal(0, tls.GetProperty("handshake_failures").GetInt64());
        Assert.Contains("meshedge_upstream_tls_handshakes_total{cluster=\"app\"}", await proxy.AdminGetAsync("/metrics"), StringComparison.Ordinal);

        // The cluster's CA, named by a file and not by a secret, is listed as Envoy lists each context's CA.
        using var certs = JsonDocument.Parse(await proxy.AdminGetAsync("/certs"));
        var ca = Assert.Single(certs.RootElement.GetProperty("ca_certificates").EnumerateArray());
        Assert.Equal(("app.ca", _origin.Certificates.CaPath), (ca.GetProperty("name").GetString(), ca.GetProperty("source").GetString()));
        Assert.Equal(["app"], ca.GetProperty("clusters").EnumerateArray().Select(c => c.GetString()));
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_spiffe_id_in_subject_alt_names_matches_the_certificates_uri_name()
    {
        await using var proxy = await StartAsync(Tls($"subject_alt_names = [\"{SpiffeId}\"]"));

        using var response = await GetAsync(proxy);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", Header(response, "x-ssl-server-name"));
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_server_whose_chain_does_not_verify_is_a_failed_connect_counted_as_verify_failed()
    {
        await using var proxy = await StartAsync(Tls($"sni = \"{ServerName}\"", ca: _otherCa.CaPath));

        using var response = await GetAsync(proxy);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await AssertFailureCountedAsync(proxy, "verify_failed");
        Assert.Contains("meshedge_upstream_tls_handshake_failures_total{cluster=\"app\",reason=\"verify_failed\"} 1", await proxy.AdminGetAsync("/metrics"), StringComparison.Ordinal);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_certificate_without_the_expected_name_is_a_failed_connect_counted_as_san_mismatch()
    {
        await using var proxy = await StartAsync(Tls($"sni = \"{ServerName}\"\nsubject_alt_names = [\"other.test\", \"spiffe://cluster.local/ns/shop/sa/other\"]"));

        using var response = await GetAsync(proxy);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await AssertFailureCountedAsync(proxy, "san_mismatch");
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task The_next_connection_to_the_host_resumes_the_session()
    {
        // One request per connection: every request needs a handshake of its own.
        await using var proxy = await StartAsync(Tls($"sni = \"{ServerName}\"") + "\n[clusters.connection_pool]\nmax_requests_per_connection = 1\n");

        var reused = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await GetAsync(proxy);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            reused.Add(Header(response, "x-ssl-session-reused"));
        }

        // nginx's $ssl_session_reused: "." for a full handshake, "r" for a resumed one.
        Assert.Equal([".", "r", "r"], reused);
        var tls = await ClusterTlsAsync(proxy);
        Assert.Equal(3, tls.GetProperty("handshakes").GetInt64());
        Assert.Equal(2, tls.GetProperty("handshakes_resumed").GetInt64());
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_health_check_over_tls_passes_and_fails_with_the_clusters_verification()
    {
        // "app" takes no traffic until a check passes; "distrusted" starts healthy and its first
        // check (nginx's chain does not verify against the other CA) marks it unhealthy.
        const string Check = "health_check = { type = \"http\", path = \"/hello.txt\", interval = \"200ms\", timeout = \"2s\", unhealthy_threshold = 1";
        var config = TlsToml.WithAdmin(HttpToml.Config(
            HttpToml.CatchAll(),
            HttpToml.Cluster("app", [_origin.EndPoint], Check + ", no_traffic_until_healthy = true }\n" + Tls($"sni = \"{ServerName}\"")),
            HttpToml.Cluster("distrusted", [_origin.EndPoint], Check + " }\n" + Tls($"sni = \"{ServerName}\"", ca: _otherCa.CaPath))));
        await using var proxy = await ProxyProcess.StartTomlAsync(config, output);

        await proxy.WaitForLogAsync("host healthy", TimeSpan.FromSeconds(20), line => line.Get("cluster") == "app");
        await proxy.WaitForLogAsync("host unhealthy", TimeSpan.FromSeconds(20), line => line.Get("cluster") == "distrusted");
        using (var response = await GetAsync(proxy))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(_origin.Nginx.HealthChecksServed() >= 1, _origin.Nginx.Describe());
        Assert.Null(proxy.FindLog("host unhealthy", line => line.Get("cluster") == "app"));
        await proxy.StopCleanlyAsync();
    }

    private static async Task<HttpResponseMessage> GetAsync(ProxyProcess proxy)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return await http.GetAsync($"http://{proxy.ListenerAddress()}/hello.txt");
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    private static async Task<JsonElement> ClusterTlsAsync(ProxyProcess proxy)
    {
        using var stats = JsonDocument.Parse(await proxy.AdminGetAsync("/stats"));
        return stats.RootElement.GetProperty("clusters").GetProperty("app").GetProperty("tls").Clone();
    }

    private static async Task AssertFailureCountedAsync(ProxyProcess proxy, string reason)
    {
        var tls = await ClusterTlsAsync(proxy);
        Assert.True(tls.GetProperty("handshake_failures_by_reason").GetProperty(reason).GetInt64() >= 1, tls.ToString());
        Assert.Equal(0, tls.GetProperty("handshakes").GetInt64());
    }
}
