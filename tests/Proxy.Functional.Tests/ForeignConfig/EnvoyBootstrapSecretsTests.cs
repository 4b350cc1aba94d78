using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using MeshEdge.Functional.Tests.Tls;
using Xunit.Abstractions;
using static MeshEdge.Functional.Tests.ForeignConfig.EnvoyConfigText;

namespace MeshEdge.Functional.Tests.ForeignConfig;

/// <summary>
/// An Envoy bootstrap whose listener takes its certificate and its clients' CA by name from
/// <c>static_resources.secrets</c>, with no control plane: the binary serves the certificate from a
/// file secret, accepts a client from the CA secret and refuses one without a certificate; a secret
/// file that does not load is a config error (exit 2) at the Envoy key path, not MeshEdge's own.
/// </summary>
public sealed class EnvoyBootstrapSecretsTests(ITestOutputHelper output) : IDisposable
{
    private const string Name = "proxy.test";
    private readonly TempDirectory _directory = new();

    private static string Json(string text) => JsonSerializer.Serialize(text);

    /// <param name="firstCluster">A cluster put before <c>app</c> (with its trailing comma); empty for none.</param>
    private static string Bootstrap(System.Net.IPEndPoint app, string chainFile, string keyFile, string caPem, string firstCluster = "")
    {
        var downstream = """
            , "transport_socket": { "name": "envoy.transport_sockets.tls", "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext", "require_client_certificate": true,
                "common_tls_context": {
                  "tls_certificate_sds_secret_configs": [ { "name": "default" } ],
                  "validation_context_sds_secret_config": { "name": "ROOTCA" } } } }
            """;
        var listener = HttpListener("https_ingress", "app").Replace("} } ] } ]\n}", "} } ]" + downstream + " } ]\n}", StringComparison.Ordinal);
        Assert.Contains("DownstreamTlsContext", listener, StringComparison.Ordinal);
        var secrets = $$"""
            { "name": "default", "tls_certificate": { "certificate_chain": { "filename": {{Json(chainFile)}} }, "private_key": { "filename": {{Json(keyFile)}} } } },
            { "name": "ROOTCA", "validation_context": { "trusted_ca": { "inline_string": {{Json(caPem)}} } } }
            """;

        // The secrets array closes the clusters' and sits beside it in static_resources.
        return EnvoyConfigText.Bootstrap(listener, firstCluster + Cluster("app", app) + " ], \"secrets\": [ " + secrets);
    }

    [Fact]
    public async Task Static_secrets_serve_the_certificate_and_check_clients_against_the_ca_secret()
    {
        using var servers = await TestCertificates.CreateAsync();
        using var mesh = await TestCertificates.CreateAsync();
        var server = await servers.IssueAsync(Name);
        var client = await mesh.IssueAsync("client.test");
        var (app, _) = NamedHttpResponder.Start("app", _ => 200);
        await using (app)
        {
            await using var proxy = await ProxyProcess.StartWithFileAsync("envoy.json", Bootstrap(app.EndPoint, server.Chain, server.Key, await File.ReadAllTextAsync(mesh.CaPath)), output);
            var listener = proxy.ListenerAddress("https_ingress");
            Task<ToolRun> CurlAsync(params string[] arguments) =>
                TlsPeers.CurlAsync(servers, listener, Name, ["-s", "-o", "/dev/null", "-w", "%{http_code}", .. arguments, TlsPeers.Url(listener, Name, "/")]);

            var accepted = await CurlAsync("--cert", client.Chain, "--key", client.Key);
            var without = await CurlAsync();

            Assert.True(accepted.ExitCode == 0 && accepted.Stdout == "200", accepted.ToString());
            Assert.True(without.ExitCode != 0, without.ToString());
            using var certs = JsonDocument.Parse(await proxy.AdminGetAsync("/certs"));
            var entry = Assert.Single(certs.RootElement.GetProperty("certificates").EnumerateArray());
            Assert.Equal(("default", server.Chain, "CN=" + Name), (entry.GetProperty("name").GetString(), entry.GetProperty("certificate_chain").GetString(), entry.GetProperty("subject").GetString()));
            Assert.Equal(server.Chain, entry.GetProperty("source").GetString());
            var ca = Assert.Single(certs.RootElement.GetProperty("ca_certificates").EnumerateArray());
            Assert.Equal(("ROOTCA", "inline", "CN=MeshEdge Test CA"), (ca.GetProperty("name").GetString(), ca.GetProperty("source").GetString(), ca.GetProperty("subject").GetString()));
            Assert.Equal(["https_ingress"], ca.GetProperty("listeners").EnumerateArray().Select(l => l.GetString()));
            await proxy.StopCleanlyAsync();
        }
    }

    [Fact]
    public async Task A_secret_file_that_does_not_load_is_an_error_at_its_envoy_key_path()
    {
        using var servers = await TestCertificates.CreateAsync();
        var server = await servers.IssueAsync(Name);
        var missing = _directory.PathOf("missing.pem");
        var path = _directory.Write("envoy.json", Bootstrap(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9), missing, server.Key, await File.ReadAllTextAsync(servers.CaPath)));

        var run = await MeshEdgeCli.RunAsync(output, "validate", "-c", path);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr);
        Assert.Contains($"static_resources.secrets[0].tls_certificate.certificate_chain.filename: cannot read {missing}: No such file or directory", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reloaded_file_whose_secret_or_cluster_ca_does_not_load_is_refused_at_its_envoy_key_path()
    {
        using var servers = await TestCertificates.CreateAsync();
        var server = await servers.IssueAsync(Name);
        var ca = await File.ReadAllTextAsync(servers.CaPath);
        var missing = _directory.PathOf("missing.pem");
        var app = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9);
        await using var proxy = await ProxyProcess.StartWithFileAsync("envoy.json", Bootstrap(app, server.Chain, server.Key, ca), output);

        var rejected = await LiveConfig.LiveConfigFile.RewriteAsync(proxy, Bootstrap(app, missing, server.Key, ca), "config rejected", "envoy.json");
        Assert.Contains($"envoy.json: static_resources.secrets[0].tls_certificate.certificate_chain.filename: cannot read {missing}", rejected.Get("error"), StringComparison.Ordinal);

        var upstreamTls = $$"""
            , "transport_socket": { "name": "envoy.transport_sockets.tls", "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext", "sni": "backend.test",
                "common_tls_context": { "validation_context": { "trusted_ca": { "filename": {{Json(missing)}} } } } } }
            """;
        rejected = await LiveConfig.LiveConfigFile.RewriteAsync(proxy, Bootstrap(app, server.Chain, server.Key, ca, Cluster("secure", app, upstreamTls) + ", "), "config rejected", "envoy.json");
        Assert.Contains($"envoy.json: static_resources.clusters[0].transport_socket.typed_config.common_tls_context.validation_context.trusted_ca.filename: cannot read {missing}", rejected.Get("error"), StringComparison.Ordinal);
        await proxy.StopCleanlyAsync();
    }

    public void Dispose() => _directory.Dispose();
}
