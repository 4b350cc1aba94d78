using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;
using MeshEdge.Functional.Tests.Tls;
using Xunit.Abstractions;
using static MeshEdge.Functional.Tests.ForeignConfig.EnvoyConfigText;

namespace MeshEdge.Functional.Tests.ForeignConfig;

/// <summary>
/// The AOT binary run on an Envoy bootstrap with TLS both ways: a listener whose DownstreamTlsContext
/// carries its certificate inline (held in memory), optionally requiring client certificates, and
/// a cluster whose UpstreamTlsContext verifies nginx (CA, SPIFFE SAN, SNI) and presents a client
/// certificate, as a mesh sidecar does.
/// </summary>
public sealed class EnvoyBootstrapTlsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ProxyName = "proxy.test";
    private const string BackendName = NginxTlsOrigin.ServerName;
    private const string BackendId = NginxTlsOrigin.SpiffeId;
    private NginxTlsOrigin _origin = null!;
    private (string Chain, string Key) _proxy;
    private (string Chain, string Key) _client;

    public async Task InitializeAsync()
    {
        _origin = await NginxTlsOrigin.StartAsync();
        _proxy = await _origin.Certificates.IssueAsync(ProxyName);
        _client = await _origin.Certificates.IssueAsync("client.test", "spiffe://cluster.local/ns/shop/sa/client");
    }

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    private static string Json(string text) => JsonSerializer.Serialize(text);

    private string Bootstrap(string downstreamExtra)
    {
        var downstream = $$"""
            , "transport_socket": { "name": "envoy.transport_sockets.tls", "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext"{{downstreamExtra}},
                "common_tls_context": {
                  "tls_certificates": [ {
                    "certificate_chain": { "inline_string": {{Json(File.ReadAllText(_proxy.Chain))}} },
                    "private_key": { "inline_string": {{Json(File.ReadAllText(_proxy.Key))}} } } ],
                  "validation_context": { "trusted_ca": { "inline_string": {{Json(File.ReadAllText(_origin.Certificates.CaPath))}} },
                    "match_typed_subject_alt_names": [ { "san_type": "URI", "matcher": { "prefix": "spiffe://cluster.local/ns/shop/" } } ] },
                  "alpn_protocols": ["http/1.1"] } } }
            """;
        var upstream = $$"""
            , "transport_socket": { "name": "envoy.transport_sockets.tls", "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext", "sni": "{{BackendName}}",
                "common_tls_context": {
                  "tls_certificates": [ { "certificate_chain": { "filename": "{{_client.Chain}}" }, "private_key": { "filename": "{{_client.Key}}" } } ],
                  "validation_context": { "trusted_ca": { "filename": "{{_origin.Certificates.CaPath}}" },
                    "match_typed_subject_alt_names": [ { "san_type": "URI", "matcher": { "exact": "{{BackendId}}" } } ] } } } }
            """;
        var listener = HttpListener("https_ingress", "backend").Replace("} } ] } ]\n}", "} } ]" + downstream + " } ]\n}", StringComparison.Ordinal);
        Assert.Contains("DownstreamTlsContext", listener, StringComparison.Ordinal);
        return EnvoyConfigText.Bootstrap(listener, Cluster("backend", _origin.EndPoint, upstream));
    }

    private Task<ToolRun> CurlAsync(ProxyProcess proxy, params string[] extra)
    {
        var port = proxy.ListenerAddress("https_ingress").Port;
        return ToolRun.CurlAsync(["--cacert", _origin.Certificates.CaPath, "--resolve", $"{ProxyName}:{port}:127.0.0.1", "-D", "-", "-o", "/dev/null",
            .. extra, $"https://{ProxyName}:{port}/hello.txt"]);
    }

    [Fact]
    public async Task An_inline_certificate_is_served_and_requests_reach_nginx_over_mutual_tls()
    {
        await using var proxy = await ProxyProcess.StartWithFileAsync("envoy.json", Bootstrap(""), output);

        var curl = await CurlAsync(proxy, "--cert", _client.Chain, "--key", _client.Key);

        Assert.True(curl.ExitCode == 0 && curl.Stdout.StartsWith("HTTP/1.1 200", StringComparison.Ordinal), curl.ToString());
        Assert.Contains("x-ssl-client-subject: CN=client.test", curl.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"x-ssl-server-name: {BackendName}", curl.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"certificate_chain\": \"inline\"", await proxy.AdminGetAsync("/certs"), StringComparison.Ordinal);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Require_client_certificate_refuses_a_client_without_one()
    {
        await using var proxy = await ProxyProcess.StartWithFileAsync("envoy.json", Bootstrap(""", "require_client_certificate": true"""), output);

        var without = await CurlAsync(proxy);
        var with = await CurlAsync(proxy, "--cert", _client.Chain, "--key", _client.Key);

        Assert.True(without.ExitCode != 0, without.ToString());
        Assert.True(with.ExitCode == 0 && with.Stdout.StartsWith("HTTP/1.1 200", StringComparison.Ordinal), with.ToString());
        await proxy.StopCleanlyAsync();
    }
}
