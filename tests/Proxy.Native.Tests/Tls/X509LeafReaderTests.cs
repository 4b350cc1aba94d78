using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Tests.Tls;

/// <summary>The leaf summary /certs shows, read from certificates .NET makes (ECDSA and RSA, with DNS, URI and IP SANs).</summary>
public sealed class X509LeafReaderTests
{
    private static readonly DateTimeOffset NotBefore = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = new(2027, 6, 7, 8, 9, 10, TimeSpan.Zero);

    [Fact]
    public void The_leaf_of_a_chain_gives_subject_issuer_serial_sans_and_validity()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=edge.example.test, O=MeshEdge, C=DE", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("edge.example.test");
        names.AddDnsName("*.edge.example.test");
        names.AddUri(new Uri("spiffe://cluster.local/ns/default/sa/edge"));
        names.AddIpAddress(IPAddress.Parse("10.1.2.3"));
        request.CertificateExtensions.Add(names.Build());
        using var leaf = request.Create(new X500DistinguishedName("CN=Test CA"), X509SignatureGenerator.CreateForECDsa(key), NotBefore, NotAfter, [0x00, 0x9a, 0x01, 0xff]);
        using var other = SelfSigned("CN=second in the chain");

        var summary = X509LeafReader.Read(leaf.ExportCertificatePem() + "\n" + other.ExportCertificatePem() + "\n")!;

        Assert.Equal("C=DE, O=MeshEdge, CN=edge.example.test", summary.Subject);
        Assert.Equal("CN=Test CA", summary.Issuer);
        Assert.Equal("9a01ff", summary.SerialNumber);
        Assert.Equal([("dns", "edge.example.test"), ("dns", "*.edge.example.test"), ("uri", "spiffe://cluster.local/ns/default/sa/edge"), ("ip", "10.1.2.3")],
            summary.SubjectAltNames.ToArray());
        Assert.Equal((NotBefore, NotAfter), (summary.NotBefore, summary.NotAfter));
    }

    [Fact]
    public void Days_left_and_status_follow_the_clock()
    {
        using var certificate = SelfSigned("CN=rsa.example.test");
        var summary = X509LeafReader.Read(certificate.ExportCertificatePem())!;

        Assert.Equal("CN=rsa.example.test", summary.Subject);
        Assert.Empty(summary.SubjectAltNames);
        Assert.Equal("valid", summary.Status(NotAfter.AddDays(-31)));
        Assert.Equal(31, summary.DaysLeft(NotAfter.AddDays(-31)));
        Assert.Equal("expiring", summary.Status(NotAfter.AddDays(-29)));
        Assert.Equal("expired", summary.Status(NotAfter.AddSeconds(1)));
        Assert.Equal(0, summary.DaysLeft(NotAfter.AddSeconds(1)));
        Assert.Equal(-3, summary.DaysLeft(NotAfter.AddDays(3.5)));
        Assert.Equal("not_yet_valid", summary.Status(NotBefore.AddSeconds(-1)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n")]
    public void Text_without_a_parsable_certificate_gives_null(string pem)
    {
        Assert.Null(X509LeafReader.Read(pem));
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(NotBefore, NotAfter);
    }
}
