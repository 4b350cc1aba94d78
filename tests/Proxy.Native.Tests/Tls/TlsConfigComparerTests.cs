using MeshEdge.Config.Model;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Tests.Tls;

/// <summary>
/// Two parses of the same tls table are the same (a live change elsewhere keeps the listener's
/// context, and the certificates the watcher reloaded into it); any difference makes a new one.
/// </summary>
public sealed class TlsConfigComparerTests
{
    private static TlsConfig Parse(string names = "a.example.test", string alpn = "h2", string ciphers = TlsConfig.IntermediateCiphers) =>
        new(
            [new TlsCertificateConfig(PemSource.File("/etc/a.pem"), PemSource.File("/etc/a.key"), [.. names.Split(',')], "listeners[0].tls.certificates[0]") { SecretName = "a" }],
            TlsVersion.Tls12,
            TlsVersion.Tls13,
            ciphers,
            TlsConfig.IntermediateCipherSuites,
            [.. alpn.Split(',')],
            TimeSpan.FromSeconds(10))
        {
            MatchSubjectAltNames = [new SubjectAltNameMatch(SubjectAltNameType.Uri, true, "spiffe://cluster.local/")],
        };

    [Fact]
    public void Two_parses_of_the_same_table_are_the_same() => Assert.True(TlsConfigComparer.Same(Parse(), Parse()));

    [Fact]
    public void A_server_name_an_alpn_entry_or_a_setting_differs()
    {
        Assert.False(TlsConfigComparer.Same(Parse(), Parse(names: "a.example.test,b.example.test")));
        Assert.False(TlsConfigComparer.Same(Parse(), Parse(alpn: "h2,http/1.1")));
        Assert.False(TlsConfigComparer.Same(Parse(), Parse(ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256")));
        Assert.False(TlsConfigComparer.Same(Parse(), Parse() with { HandshakeTimeout = TimeSpan.FromSeconds(5) }));
        Assert.False(TlsConfigComparer.Same(Parse(), Parse() with { MatchSubjectAltNames = [] }));
        Assert.False(TlsConfigComparer.Same(Parse(), Parse() with { ClientCertificate = TlsClientCertificate.Required, ClientCa = PemSource.File("/etc/ca.pem") }));
        var other = Parse();
        Assert.False(TlsConfigComparer.Same(Parse(), other with { Certificates = [other.Certificates[0] with { PrivateKey = PemSource.File("/etc/b.key") }] }));
    }
}
