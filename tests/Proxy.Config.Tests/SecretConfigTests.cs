using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary><c>[[secrets]]</c> and listeners' <c>secret = "name"</c>, in TOML and JSON alike; inline certificates get derived names.</summary>
public sealed class SecretConfigTests
{
    private const string Head = """
        [[secrets]]
        name = "edge-cert"
        certificate_chain = "/etc/meshedge/edge.pem"
        private_key = "/etc/meshedge/edge.key"

        """ + TlsListenerToml.Head;

    private const string Tail = TlsListenerToml.Tail;

    private const string Toml = Head + """
        [[listeners.tls.certificates]]
        secret = "edge-cert"

        [[listeners.tls.certificates]]
        certificate_chain = "/etc/meshedge/api.pem"
        private_key = "/etc/meshedge/api.key"
        server_names = ["api.example.com"]
        """ + Tail;

    private static readonly string Json = TlsListenerJson.Config(
        secrets: """{ "name": "edge-cert", "certificate_chain": "/etc/meshedge/edge.pem", "private_key": "/etc/meshedge/edge.key" }""",
        tls: """
            "certificates": [
              { "secret": "edge-cert" },
              { "certificate_chain": "/etc/meshedge/api.pem", "private_key": "/etc/meshedge/api.key", "server_names": ["api.example.com"] }
            ]
            """);

    [Fact]
    public void A_certificate_takes_its_files_and_name_from_the_secret_and_an_inline_one_is_named_after_its_listener()
    {
        foreach (var config in new[] { LoadAssert.Succeeds(ConfigLoader.LoadToml(Toml, "s.toml")), LoadAssert.Succeeds(ConfigLoader.LoadJson(Json, "s.json")) })
        {
            var secret = Assert.Single(config.Secrets);
            Assert.Equal(("edge-cert", "/etc/meshedge/edge.pem", "/etc/meshedge/edge.key", "secrets[0]"),
                (secret.Name, secret.CertificateChain.Path, secret.PrivateKey.Path, secret.KeyPath));
            var certificates = config.Listeners[0].Tls!.Certificates;
            Assert.Equal(("edge-cert", "/etc/meshedge/edge.pem", "/etc/meshedge/edge.key", "secrets[0]"),
                (certificates[0].SecretName, certificates[0].CertificateChain.Path, certificates[0].PrivateKey.Path, certificates[0].KeyPath));
            Assert.Equal(("web.certificates[1]", "/etc/meshedge/api.pem", "listeners[0].tls.certificates[1]"),
                (certificates[1].SecretName, certificates[1].CertificateChain.Path, certificates[1].KeyPath));
        }
    }

    public static TheoryData<string, string> Mistakes => new()
    {
        { "[[listeners.tls.certificates]]\nsecret = \"nope\"\n", "listeners[0].tls.certificates[0].secret: no secret named \"nope\" in [[secrets]]" },
        {
            "[[listeners.tls.certificates]]\nsecret = \"edge-cert\"\nprivate_key = \"x.key\"\n",
            "listeners[0].tls.certificates[0].private_key: give either secret or certificate_chain and private_key, not both"
        },
        {
            "[[listeners.tls.certificates]]\nsecret = \"edge-cert\"\n\n[[secrets]]\nname = \"edge-cert\"\ncertificate_chain = \"b.pem\"\nprivate_key = \"b.key\"\n",
            "secrets[1].name: \"edge-cert\" is already the name of secrets[0]"
        },
        {
            "[[listeners.tls.certificates]]\nsecret = \"edge-cert\"\n\n[[secrets]]\nname = \"b\"\ncertificate_chain = \"b.pem\"\n",
            "secrets[1].private_key: missing required key"
        },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Mistakes_name_the_key(string tls, string expected)
    {
        Assert.Equal([expected], LoadAssert.Fails(ConfigLoader.LoadToml(Head + tls + Tail, "s.toml")));
    }
}
