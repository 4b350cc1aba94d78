using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// An expired certificate still loads (clients decide what to do with it) but is called out: a
/// warning line at start, <c>status = "expired"</c> and negative days in /certs, a negative expiry metric.
/// </summary>
public sealed class TlsExpiredCertificateTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_expired_certificate_is_a_warning_a_negative_metric_and_expired_in_certs()
    {
        using var directory = new TempDirectory();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=old.example.test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-3));
        var chain = directory.Write("old.pem", certificate.ExportCertificatePem() + "\n");
        var privateKey = directory.Write("old.key", key.ExportPkcs8PrivateKeyPem() + "\n");
        var http = """
            [[listeners.http.virtual_hosts]]
            name = "all"
            domains = ["*"]
            routes = [{ match = { prefix = "/" }, direct_response = { status = 200, body = "ok" } }]
            """;
        await using var proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config(http, TlsToml.Certificate((chain, privateKey))), output);

        var warning = proxy.FindLog("certificate expired");
        Assert.NotNull(warning);
        Assert.Equal(("inbound.certificates[0]", "-3"), (warning.Get("secret"), warning.Get("days_left")));
        using var certs = JsonDocument.Parse(await proxy.AdminGetAsync("/certs"));
        var entry = Assert.Single(certs.RootElement.GetProperty("certificates").EnumerateArray());
        Assert.Equal("expired", entry.GetProperty("status").GetString());
        Assert.Equal(-3, entry.GetProperty("days_until_expiration").GetInt64());
        Assert.Equal(["inbound"], entry.GetProperty("listeners").EnumerateArray().Select(l => l.GetString()));
        Assert.Matches("meshedge_tls_certificate_expiry_seconds\\{secret=\"inbound.certificates\\[0\\]\"\\} -2[0-9]{5}\n", await proxy.AdminGetAsync("/metrics"));
        await proxy.StopCleanlyAsync();
    }
}
