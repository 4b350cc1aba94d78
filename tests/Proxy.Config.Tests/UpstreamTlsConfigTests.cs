using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary>A cluster's <c>tls</c> table (TLS origination), in TOML and JSON alike; the files themselves are checked by the executable.</summary>
public sealed class UpstreamTlsConfigTests
{
    private static readonly string Head = OneClusterConfig.Toml(OneClusterConfig.Hosts);

    private static readonly string FullToml = Head + """
        [clusters.tls]
        sni = "Backend.example.com"
        ca = "/etc/meshedge/mesh-ca.pem"
        subject_alt_names = ["Backend.example.com", "spiffe://cluster.local/ns/Shop/sa/backend"]
        certificate_chain = "/etc/meshedge/client.pem"
        private_key = "/etc/meshedge/client.key"
        alpn = ["http/1.1"]
        min_version = "1.3"
        max_version = "1.3"
        ciphers = "ECDHE-RSA-AES128-GCM-SHA256"
        ciphersuites = "TLS_AES_128_GCM_SHA256"
        """;

    private const string FullJson = """
        {
          "listeners": [{ "name": "l", "address": "127.0.0.1:1", "tcp_proxy": { "cluster": "app" } }],
          "clusters": [{
            "name": "app", "hosts": ["127.0.0.1:8443"],
            "tls": {
              "sni": "Backend.example.com", "ca": "/etc/meshedge/mesh-ca.pem",
              "subject_alt_names": ["Backend.example.com", "spiffe://cluster.local/ns/Shop/sa/backend"],
              "certificate_chain": "/etc/meshedge/client.pem", "private_key": "/etc/meshedge/client.key",
              "alpn": ["http/1.1"], "min_version": "1.3", "max_version": "1.3",
              "ciphers": "ECDHE-RSA-AES128-GCM-SHA256", "ciphersuites": "TLS_AES_128_GCM_SHA256"
            }
          }]
        }
        """;

    [Fact]
    public void Toml_and_json_bind_every_key_alike()
    {
        foreach (var config in new[] { LoadAssert.Succeeds(ConfigLoader.LoadToml(FullToml, "tls.toml")), LoadAssert.Succeeds(ConfigLoader.LoadJson(FullJson, "tls.json")) })
        {
            var tls = config.Clusters[0].Tls!;
            Assert.Equal(("Backend.example.com", "/etc/meshedge/mesh-ca.pem", true), (tls.Sni, tls.Ca?.Path, tls.Verify));

            // DNS names compare without regard to case; a URI is kept as written.
            Assert.Equal(["backend.example.com", "spiffe://cluster.local/ns/Shop/sa/backend"], tls.SubjectAltNames.ToArray());
            Assert.Equal(("/etc/meshedge/client.pem", "/etc/meshedge/client.key"), (tls.CertificateChain?.Path, tls.PrivateKey?.Path));
            Assert.Equal(["http/1.1"], tls.Alpn.ToArray());
            Assert.Equal((TlsVersion.Tls13, TlsVersion.Tls13), (tls.MinVersion, tls.MaxVersion));
            Assert.Equal(("ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"), (tls.Ciphers, tls.CipherSuites));
            Assert.Equal("clusters[0].tls", tls.KeyPath);
        }
    }

    [Fact]
    public void An_empty_table_verifies_against_the_system_store_and_sends_no_client_certificate()
    {
        var tls = LoadAssert.Succeeds(ConfigLoader.LoadToml(Head + "tls = {}\n", "tls.toml")).Clusters[0].Tls!;

        Assert.Equal((null, null, true), (tls.Sni, tls.Ca?.Path, tls.Verify));
        Assert.Empty(tls.SubjectAltNames);
        Assert.Equal((null, null), (tls.CertificateChain?.Path, tls.PrivateKey?.Path));
        Assert.Empty(tls.Alpn);
        Assert.Equal((TlsVersion.Tls12, TlsVersion.Tls13), (tls.MinVersion, tls.MaxVersion));
        Assert.Equal(TlsConfig.IntermediateCiphers, tls.Ciphers);
        Assert.Null(LoadAssert.Succeeds(ConfigLoader.LoadToml(Head, "plain.toml")).Clusters[0].Tls);
    }

    public static TheoryData<string, string, string> Mistakes => new()
    {
        {
            "sni = \"a b\"",
            """ "sni": "a b" """,
            "clusters[0].tls.sni: \"a b\" is not a server name (a DNS name)"
        },
        {
            "subject_alt_names = [\"*.example.com\"]",
            """ "subject_alt_names": ["*.example.com"] """,
            "clusters[0].tls.subject_alt_names[0]: \"*.example.com\" is neither a DNS name nor a URI (such as \"spiffe://domain/ns/N/sa/S\")"
        },
        {
            "verify = false\nca = \"ca.pem\"",
            """ "verify": false, "ca": "ca.pem" """,
            "clusters[0].tls.ca: is checked only when the server is verified: remove it or verify = false"
        },
        {
            "certificate_chain = \"client.pem\"",
            """ "certificate_chain": "client.pem" """,
            "clusters[0].tls.private_key: missing required key (a client certificate needs certificate_chain and private_key)"
        },
        {
            "min_version = \"1.3\"\nmax_version = \"1.2\"",
            """ "min_version": "1.3", "max_version": "1.2" """,
            "clusters[0].tls.min_version: min_version is above max_version"
        },
        {
            "alpn = [\"\"]",
            """ "alpn": [""] """,
            "clusters[0].tls.alpn[0]: \"\" is not a protocol name (1 to 255 visible ASCII characters)"
        },
        {
            "verfy = false",
            """ "verfy": false """,
            "clusters[0].tls.verfy: unknown key (did you mean \"verify\"?)"
        },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Mistakes_name_the_key_in_toml_and_json_alike(string tomlTls, string jsonTls, string expected)
    {
        OneClusterConfig.FailsAlike($"{OneClusterConfig.Hosts}\n[clusters.tls]\n{tomlTls}", $"{OneClusterConfig.JsonHosts}, \"tls\": {{ {jsonTls} }}", expected);
    }
}
