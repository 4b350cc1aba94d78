using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary>Certificates, keys and CA bundles given as PEM in the config (<c>*_pem</c> keys), TOML and JSON alike.</summary>
public sealed class InlinePemConfigTests
{
    private const string Chain = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    private const string Key = "-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n";
    private const string Ca = "-----BEGIN CERTIFICATE-----\nCCCC\n-----END CERTIFICATE-----\n";

    private static string Toml(string listenerTls, string clusterTls) => $$"""
        [[secrets]]
        name = "web"
        certificate_chain_pem = '''
        {{Chain}}'''
        private_key = "/etc/web.key"

        """ + TlsListenerToml.Head + $$"""
        [listeners.tls]
        {{listenerTls}}
        [[listeners.tls.certificates]]
        secret = "web"
        [[listeners.tls.certificates]]
        certificate_chain = "/etc/api.pem"
        private_key_pem = '''
        {{Key}}'''
        server_names = ["api.example.com"]
        """ + TlsListenerToml.Tail + $$"""

        [clusters.tls]
        {{clusterTls}}
        """;

    private static string Json(string listenerTls, string clusterTls) => TlsListenerJson.Config(
        secrets: $$"""{ "name": "web", "certificate_chain_pem": "{{Escape(Chain)}}", "private_key": "/etc/web.key" }""",
        tls: $$"""
            {{listenerTls}}
            "certificates": [ { "secret": "web" }, { "certificate_chain": "/etc/api.pem", "private_key_pem": "{{Escape(Key)}}", "server_names": ["api.example.com"] } ]
            """,
        clusterTls: clusterTls);

    private static string Escape(string pem) => pem.Replace("\n", "\\n", StringComparison.Ordinal);

    [Fact]
    public void Pem_keys_bind_in_toml_and_json_to_pem_held_in_memory()
    {
        var toml = Toml($"client_certificate = \"required\"\nclient_ca_pem = '''\n{Ca}'''",
            $"ca_pem = '''\n{Ca}'''\ncertificate_chain_pem = '''\n{Chain}'''\nprivate_key_pem = '''\n{Key}'''");
        var json = Json($"\"client_certificate\": \"required\", \"client_ca_pem\": \"{Escape(Ca)}\",",
            $"\"ca_pem\": \"{Escape(Ca)}\", \"certificate_chain_pem\": \"{Escape(Chain)}\", \"private_key_pem\": \"{Escape(Key)}\"");

        foreach (var config in new[] { LoadAssert.Succeeds(ConfigLoader.LoadToml(toml, "pem.toml")), LoadAssert.Succeeds(ConfigLoader.LoadJson(json, "pem.json")) })
        {
            var tls = config.Listeners[0].Tls!;
            Assert.Equal(PemSource.Inline(Chain), tls.Certificates[0].CertificateChain);
            Assert.Equal(PemSource.File("/etc/web.key"), tls.Certificates[0].PrivateKey);
            Assert.Equal(PemSource.Inline(Key), tls.Certificates[1].PrivateKey);
            Assert.Equal(PemSource.Inline(Ca), tls.ClientCa);
            var upstream = config.Clusters[0].Tls!;
            Assert.Equal((Ca, Chain, Key), (upstream.Ca!.Pem, upstream.CertificateChain!.Pem, upstream.PrivateKey!.Pem));
            Assert.Equal(("inline", false), (upstream.Ca.Describe, upstream.Ca.IsFile));

            // The same PEM is an equal source: a reload with unchanged PEM leaves the TLS settings equal.
            Assert.Equal(tls.ClientCa, upstream.Ca);
        }
    }

    [Fact]
    public void A_file_and_pem_together_or_text_that_is_not_pem_are_refused()
    {
        var toml = Toml("", "ca = \"/etc/ca.pem\"\nca_pem = '''\n" + Ca + "'''\ncertificate_chain_pem = \"not pem\"\nprivate_key = \"/k\"");

        Assert.Equal(
            [
                "clusters[0].tls.ca_pem: give either ca (a file) or ca_pem (the PEM itself), not both",
                "clusters[0].tls.certificate_chain_pem: is not PEM (no \"-----BEGIN\" line)",
            ],
            LoadAssert.Fails(ConfigLoader.LoadToml(toml, "pem.toml")));
    }
}
