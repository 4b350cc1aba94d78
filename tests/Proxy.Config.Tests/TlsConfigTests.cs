using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary>A listener's <c>tls</c> table, in TOML and JSON alike; the files themselves are checked by the executable.</summary>
public sealed class TlsConfigTests
{
    private const string Head = TlsListenerToml.Head;

    private const string Tail = TlsListenerToml.Tail;

    private const string FullToml = Head + """
        [listeners.tls]
        min_version = "1.3"
        max_version = "1.3"
        ciphers = "ECDHE-RSA-AES128-GCM-SHA256"
        ciphersuites = "TLS_AES_128_GCM_SHA256"
        alpn = ["h2", "http/1.1"]
        handshake_timeout = "3s"
        client_certificate = "required"
        client_ca = "/etc/meshedge/clients-ca.pem"

        [[listeners.tls.certificates]]
        certificate_chain = "/etc/meshedge/default.pem"
        private_key = "/etc/meshedge/default.key"

        [[listeners.tls.certificates]]
        certificate_chain = "/etc/meshedge/api.pem"
        private_key = "/etc/meshedge/api.key"
        server_names = ["API.example.com", "*.api.example.com"]
        """ + Tail;

    private const string FullJson = """
        {
          "listeners": [{
            "name": "web", "address": "127.0.0.1:8443", "protocol": "http",
            "http": { "virtual_hosts": [{ "name": "all", "routes": [{ "match": { "prefix": "/" }, "cluster": "app" }] }] },
            "tls": {
              "min_version": "1.3", "max_version": "1.3",
              "ciphers": "ECDHE-RSA-AES128-GCM-SHA256", "ciphersuites": "TLS_AES_128_GCM_SHA256",
              "alpn": ["h2", "http/1.1"], "handshake_timeout": "3s",
              "client_certificate": "required", "client_ca": "/etc/meshedge/clients-ca.pem",
              "certificates": [
                { "certificate_chain": "/etc/meshedge/default.pem", "private_key": "/etc/meshedge/default.key" },
                { "certificate_chain": "/etc/meshedge/api.pem", "private_key": "/etc/meshedge/api.key", "server_names": ["API.example.com", "*.api.example.com"] }
              ]
            }
          }],
          "clusters": [{ "name": "app", "hosts": ["127.0.0.1:8080"] }]
        }
        """;

    [Fact]
    public void Toml_and_json_bind_every_key_alike()
    {
        foreach (var config in new[] { LoadAssert.Succeeds(ConfigLoader.LoadToml(FullToml, "tls.toml")), LoadAssert.Succeeds(ConfigLoader.LoadJson(FullJson, "tls.json")) })
        {
            var tls = config.Listeners[0].Tls!;
            Assert.Equal((TlsVersion.Tls13, TlsVersion.Tls13), (tls.MinVersion, tls.MaxVersion));
            Assert.Equal(("ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"), (tls.Ciphers, tls.CipherSuites));
            Assert.Equal(["h2", "http/1.1"], tls.Alpn.ToArray());
            Assert.Equal(TimeSpan.FromSeconds(3), tls.HandshakeTimeout);
            Assert.Equal((TlsClientCertificate.Required, "/etc/meshedge/clients-ca.pem"), (tls.ClientCertificate, tls.ClientCa?.Path));
            Assert.Equal(2, tls.Certificates.Length);
            Assert.Equal(("/etc/meshedge/default.pem", "/etc/meshedge/default.key"), (tls.Certificates[0].CertificateChain.Path, tls.Certificates[0].PrivateKey.Path));
            Assert.Empty(tls.Certificates[0].ServerNames);
            Assert.Equal("listeners[0].tls.certificates[0]", tls.Certificates[0].KeyPath);
            Assert.Equal(["api.example.com", "*.api.example.com"], tls.Certificates[1].ServerNames.ToArray());
            Assert.Equal("listeners[0].tls.certificates[1]", tls.Certificates[1].KeyPath);
        }
    }

    [Fact]
    public void Defaults_are_tls_1_2_and_1_3_with_mozilla_intermediate_ciphers_and_h2_then_http_1_1()
    {
        var toml = Head + "[[listeners.tls.certificates]]\ncertificate_chain = \"a.pem\"\nprivate_key = \"a.key\"\n" + Tail;

        var tls = LoadAssert.Succeeds(ConfigLoader.LoadToml(toml, "tls.toml")).Listeners[0].Tls!;

        Assert.Equal((TlsVersion.Tls12, TlsVersion.Tls13), (tls.MinVersion, tls.MaxVersion));
        Assert.Equal(TlsConfig.IntermediateCiphers, tls.Ciphers);
        Assert.DoesNotContain("CBC", tls.Ciphers, StringComparison.Ordinal);
        Assert.Equal(["h2", "http/1.1"], tls.Alpn.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(10), tls.HandshakeTimeout);
        Assert.Equal((TlsClientCertificate.None, null), (tls.ClientCertificate, tls.ClientCa));
    }

    public static TheoryData<string, string, string> Mistakes => new()
    {
        {
            "[listeners.tls]\nmin_version = \"1.3\"\n",
            """{ "min_version": "1.3" }""",
            "listeners[0].tls.certificates: at least one certificate is required"
        },
        {
            "[listeners.tls]\nmin_version = \"1.3\"\nmax_version = \"1.2\"\ncertificates = [{ certificate_chain = \"a\", private_key = \"b\" }]\n",
            """{ "min_version": "1.3", "max_version": "1.2", "certificates": [{ "certificate_chain": "a", "private_key": "b" }] }""",
            "listeners[0].tls.min_version: min_version is above max_version"
        },
        {
            "[listeners.tls]\nmin_version = \"1.0\"\ncertificates = [{ certificate_chain = \"a\", private_key = \"b\" }]\n",
            """{ "min_version": "1.0", "certificates": [{ "certificate_chain": "a", "private_key": "b" }] }""",
            "listeners[0].tls.min_version: unknown TLS version \"1.0\" (expected one of \"1.2\", \"1.3\")"
        },
        {
            "[listeners.tls]\ncertificates = [{ certificate_chain = \"a\", private_key = \"b\", server_names = [\"a b\"] }]\n",
            """{ "certificates": [{ "certificate_chain": "a", "private_key": "b", "server_names": ["a b"] }] }""",
            "listeners[0].tls.certificates[0].server_names[0]: \"a b\" is not a server name (a host name, or \"*.suffix\")"
        },
        {
            "[listeners.tls]\ncertificates = [{ certificate_chain = \"a\" }]\n",
            """{ "certificates": [{ "certificate_chain": "a" }] }""",
            "listeners[0].tls.certificates[0].private_key: missing required key"
        },
        {
            "[listeners.tls]\nclient_certificate = \"required\"\ncertificates = [{ certificate_chain = \"a\", private_key = \"b\" }]\n",
            """{ "client_certificate": "required", "certificates": [{ "certificate_chain": "a", "private_key": "b" }] }""",
            "listeners[0].tls.client_ca: missing required key (client certificates are verified against it)"
        },
        {
            "[listeners.tls]\nclient_ca = \"ca.pem\"\ncertificates = [{ certificate_chain = \"a\", private_key = \"b\" }]\n",
            """{ "client_ca": "ca.pem", "certificates": [{ "certificate_chain": "a", "private_key": "b" }] }""",
            "listeners[0].tls.client_ca: set client_certificate = \"optional\" or \"required\" to use it"
        },
        {
            "[listeners.tls]\ncertificates = [{ certificate_chain = \"a\", private_key = \"b\" }]\nciphres = \"x\"\n",
            """{ "certificates": [{ "certificate_chain": "a", "private_key": "b" }], "ciphres": "x" }""",
            "listeners[0].tls.ciphres: unknown key (did you mean \"ciphers\"?)"
        },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Mistakes_name_the_key_in_toml_and_json_alike(string tomlTls, string jsonTls, string expected)
    {
        var json = """
            { "listeners": [{ "name": "web", "address": "127.0.0.1:8443", "protocol": "http",
              "http": { "virtual_hosts": [{ "name": "all", "routes": [{ "match": { "prefix": "/" }, "cluster": "app" }] }] },
              "tls": TLS }],
              "clusters": [{ "name": "app", "hosts": ["127.0.0.1:8080"] }] }
            """.Replace("TLS", jsonTls, StringComparison.Ordinal);

        Assert.Equal([expected], LoadAssert.Fails(ConfigLoader.LoadToml(Head + tomlTls + Tail, "tls.toml")));
        Assert.Equal([expected], LoadAssert.Fails(ConfigLoader.LoadJson(json, "tls.json")));
    }

    [Fact]
    public void Tls_on_a_tcp_listener_is_refused_for_now()
    {
        var toml = """
            [[listeners]]
            name = "l"
            address = "127.0.0.1:1"
            tcp_proxy = { cluster = "app" }
            tls = { certificates = [{ certificate_chain = "a", private_key = "b" }] }
            """ + Tail;

        Assert.Equal(["listeners[0].tls: TLS is terminated on \"http\" and \"bolt\" listeners only (for now)"], LoadAssert.Fails(ConfigLoader.LoadToml(toml, "tls.toml")));
    }
}
