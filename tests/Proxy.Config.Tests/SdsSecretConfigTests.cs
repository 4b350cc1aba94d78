using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary>
/// Trusted-CA secrets (<c>trusted_ca</c> in <c>[[secrets]]</c>) and the keys that name secrets
/// besides a listener certificate's <c>secret</c>: <c>client_ca_secret</c>, a cluster's
/// <c>ca_secret</c> and <c>certificate_secret</c>; TOML and JSON alike.
/// </summary>
public sealed class SdsSecretConfigTests
{
    private const string Toml = """
        [[secrets]]
        name = "ROOTCA"
        trusted_ca = "/etc/meshedge/root.pem"

        [[secrets]]
        name = "default"
        certificate_chain = "/etc/meshedge/w.pem"
        private_key = "/etc/meshedge/w.key"

        """ + TlsListenerToml.Head + """
        [listeners.tls]
        certificates = [{ secret = "default" }]
        client_certificate = "required"
        client_ca_secret = "ROOTCA"

        """ + TlsListenerToml.Tail + """

        tls = { ca_secret = "ROOTCA", certificate_secret = "default" }
        """;

    private static readonly string Json = TlsListenerJson.Config(
        secrets: """
            { "name": "ROOTCA", "trusted_ca": "/etc/meshedge/root.pem" },
            { "name": "default", "certificate_chain": "/etc/meshedge/w.pem", "private_key": "/etc/meshedge/w.key" }
            """,
        tls: """ "certificates": [ { "secret": "default" } ], "client_certificate": "required", "client_ca_secret": "ROOTCA" """,
        clusterTls: """ "ca_secret": "ROOTCA", "certificate_secret": "default" """);

    [Fact]
    public void Secrets_named_by_a_listener_and_a_cluster_fill_their_material()
    {
        foreach (var config in new[] { LoadAssert.Succeeds(ConfigLoader.LoadToml(Toml, "s.toml")), LoadAssert.Succeeds(ConfigLoader.LoadJson(Json, "s.json")) })
        {
            Assert.Equal(PemSource.File("/etc/meshedge/root.pem"), config.Secrets[0].TrustedCa);
            var tls = config.Listeners[0].Tls!;
            Assert.Equal((PemSource.File("/etc/meshedge/root.pem"), "ROOTCA"), (tls.ClientCa, tls.ClientCaSecret));
            Assert.Equal(PemSource.File("/etc/meshedge/w.pem"), tls.Certificates[0].CertificateChain);
            var upstream = config.Clusters[0].Tls!;
            Assert.Equal((PemSource.File("/etc/meshedge/root.pem"), PemSource.File("/etc/meshedge/w.pem"), PemSource.File("/etc/meshedge/w.key")),
                (upstream.Ca, upstream.CertificateChain, upstream.PrivateKey));
        }
    }

    [Theory]
    [InlineData("tls = { ca_secret = \"ROOTCA\", certificate_secret = \"default\" }", "tls = { ca_secret = \"ROOTCA\", ca = \"/x.pem\" }", "clusters[0].tls.ca: give either ca or ca_secret, not both")]
    [InlineData("tls = { ca_secret = \"ROOTCA\", certificate_secret = \"default\" }", "tls = { certificate_secret = \"ROOTCA\" }", "clusters[0].tls.certificate_secret: secret \"ROOTCA\" holds a trusted CA, not a certificate")]
    [InlineData("trusted_ca = \"/etc/meshedge/root.pem\"", "trusted_ca = \"/etc/meshedge/root.pem\"\nprivate_key = \"/k\"", "secrets[0].private_key: a secret holds a certificate and its key or a trusted CA, not both")]
    [InlineData("client_ca_secret = \"ROOTCA\"", "client_ca_secret = \"missing\"", "listeners[0].tls.client_ca_secret: no secret named \"missing\" in [[secrets]]")]
    public void Mistakes_name_the_key(string find, string replace, string expected)
    {
        var error = Assert.Single(LoadAssert.Fails(ConfigLoader.LoadToml(Toml.Replace(find, replace, StringComparison.Ordinal), "s.toml")));
        Assert.Equal(expected, error, StringComparer.Ordinal);
    }
}
