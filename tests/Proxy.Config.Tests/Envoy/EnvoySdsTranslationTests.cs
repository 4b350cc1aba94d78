using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;
using static MeshEdge.Config.Tests.Envoy.EnvoyBootstrapText;

namespace MeshEdge.Config.Tests.Envoy;

/// <summary>
/// SDS in an Envoy config: <c>static_resources.secrets</c> define named certificates and trusted CAs;
/// <c>tls_certificate_sds_secret_configs</c> and <c>validation_context_sds_secret_config</c> (alone or
/// in Istio's combined validation context) name them, for listeners and clusters alike.
/// </summary>
public sealed class EnvoySdsTranslationTests
{
    private const string Chain = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private const string Key = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
    private const string Root = "-----BEGIN CERTIFICATE-----\nMIIR\n-----END CERTIFICATE-----\n";

    private static string Json(string pem) => "\"" + pem.Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static readonly string Secrets = $$"""
        { "name": "default", "tls_certificate": { "certificate_chain": { "inline_string": {{Json(Chain)}} }, "private_key": { "inline_string": {{Json(Key)}} } } },
        { "name": "ROOTCA", "validation_context": { "trusted_ca": { "inline_string": {{Json(Root)}} } } },
        { "name": "file-cert", "tls_certificate": { "certificate_chain": { "filename": "/certs/a.pem" }, "private_key": { "filename": "/certs/a.key" } } }
        """;

    private const string Sds = """{ "ads": {}, "resource_api_version": "V3" }""";

    private static string Downstream(string common, string extra = "") => $$"""
        , "transport_socket": { "name": "envoy.transport_sockets.tls", "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext"{{extra}}, "common_tls_context": { {{common}} } } }
        """;

    private static string Upstream(string common) => $$"""
        , "transport_socket": { "name": "envoy.transport_sockets.tls", "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext", "sni": "backend.test", "common_tls_context": { {{common}} } } }
        """;

    /// <summary>Istio's sidecar context: the workload certificate as <c>default</c>, the root as <c>ROOTCA</c> beside SAN matchers.</summary>
    private static string IstioCommon(string certificate = "default", string root = "ROOTCA", string san = "prefix") => $$"""
        "tls_certificate_sds_secret_configs": [ { "name": "{{certificate}}", "sds_config": {{Sds}} } ],
        "combined_validation_context": {
          "default_validation_context": { "match_subject_alt_names": [ { "{{san}}": "spiffe://cluster.local/" } ] },
          "validation_context_sds_secret_config": { "name": "{{root}}", "sds_config": {{Sds}} } }
        """;

    private static ConfigLoadResult Load(string chainExtra, string clusterExtra, string secrets) =>
        ConfigLoader.LoadJson(Bootstrap(Listener(HttpFilter(Route()), chainExtra: chainExtra), Cluster(extra: clusterExtra) + " ], \"secrets\": [ " + secrets), "envoy.json");

    [Fact]
    public void Static_secrets_give_listeners_and_clusters_their_certificates_and_trusted_cas_by_name()
    {
        var result = Load(Downstream(IstioCommon(), ", \"require_client_certificate\": true"), Upstream(IstioCommon("file-cert", san: "exact")), Secrets);

        var config = LoadAssert.Succeeds(result);
        var tls = config.Listeners[0].Tls!;
        var certificate = Assert.Single(tls.Certificates);
        Assert.Equal(("default", PemSource.Inline(Chain), PemSource.Inline(Key)), (certificate.SecretName, certificate.CertificateChain, certificate.PrivateKey));
        Assert.Equal((TlsClientCertificate.Required, PemSource.Inline(Root), "ROOTCA"), (tls.ClientCertificate, tls.ClientCa, tls.ClientCaSecret));
        Assert.Equal([new SubjectAltNameMatch(SubjectAltNameType.Dns, true, "spiffe://cluster.local/"), new SubjectAltNameMatch(SubjectAltNameType.Uri, true, "spiffe://cluster.local/")],
            tls.MatchSubjectAltNames.ToArray());
        var upstream = config.Clusters[0].Tls!;
        Assert.Equal((PemSource.Inline(Root), PemSource.File("/certs/a.pem"), PemSource.File("/certs/a.key")), (upstream.Ca, upstream.CertificateChain, upstream.PrivateKey));
        Assert.Equal(["default", "ROOTCA", "file-cert"], config.Secrets.Select(s => s.Name).ToArray());
        Assert.DoesNotContain(result.Translation!.Unsupported, u => u.Path.Contains("secret", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_secret_that_is_missing_or_of_the_wrong_kind_is_an_error_at_the_reference()
    {
        var result = Load(Downstream(IstioCommon("nope", "default"), ", \"require_client_certificate\": true"), Upstream(IstioCommon("ROOTCA", san: "exact")), Secrets);

        const string Listener = "static_resources.listeners[0].filter_chains[0].transport_socket.typed_config.common_tls_context";
        const string Cluster = "static_resources.clusters[0].transport_socket.typed_config.common_tls_context";
        Assert.Equal(
            [
                $"{Cluster}.tls_certificate_sds_secret_configs[0].name: secret \"ROOTCA\" holds a trusted CA, not a certificate",
                $"{Listener}.combined_validation_context.validation_context_sds_secret_config.name: secret \"default\" holds a certificate, not a trusted CA",
                $"{Listener}.tls_certificate_sds_secret_configs[0].name: no secret named \"nope\" in [[secrets]]",
            ],
            LoadAssert.Fails(result).Order(StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    [Fact]
    public void A_secret_with_neither_kind_or_with_checks_it_cannot_make_is_refused()
    {
        var result = Load(Downstream(IstioCommon()), "", Secrets + """
            , { "name": "tickets", "session_ticket_keys": { "keys": [] } },
            { "name": "pinned", "validation_context": { "trusted_ca": { "filename": "/certs/root.pem" }, "verify_certificate_hash": ["aa"] } }
            """);

        var errors = LoadAssert.Fails(result);
        Assert.Contains(errors, e => e.StartsWith("static_resources.secrets[3].session_ticket_keys: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("static_resources.secrets[4].validation_context.verify_certificate_hash: ", StringComparison.Ordinal));
    }

    [Fact]
    public void An_error_found_once_loaded_names_the_secret_by_its_envoy_key_path()
    {
        var result = Load(Downstream(IstioCommon()), "", Secrets);
        LoadAssert.Succeeds(result);

        // What the process reports when a secret's file does not load (paths as the binder wrote them).
        string[] found = ["secrets[2].certificate_chain", "secrets[1].trusted_ca_pem", "secrets[0].private_key", "secrets[2]"];

        Assert.Equal(
            [
                "static_resources.secrets[2].tls_certificate.certificate_chain.filename",
                "static_resources.secrets[1].validation_context.trusted_ca.inline_string",
                "static_resources.secrets[0].tls_certificate.private_key",
                "static_resources.secrets[2]",
            ],
            found.Select(path => result.InSourcePaths(new ConfigError("envoy.json", path, "reason")).Path).ToArray());
        Assert.Equal("secrets[0].private_key", ConfigLoader.LoadToml("listeners = []\n", "meshedge.toml").InSourcePaths(new ConfigError("meshedge.toml", "secrets[0].private_key", "r")).Path);
    }
}
