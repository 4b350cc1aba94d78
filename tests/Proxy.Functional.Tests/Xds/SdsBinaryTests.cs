using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Tls;
using Xunit.Abstractions;
using static MeshEdge.Functional.Tests.Xds.SdsServedListener;
using static MeshEdge.Functional.Tests.Xds.XdsPlaneDriver;

namespace MeshEdge.Functional.Tests.Xds;

/// <summary>
/// SDS with the AOT binary and the test control plane, over state of the world and delta: a listener
/// whose certificate comes as the secret <c>default</c> is not served until the secret arrives, then
/// serves it (openssl s_client shows the subject); a secret whose key does not match is NACKed by
/// name and the certificate in use stays; a rotated secret is what new handshakes get.
/// </summary>
public sealed class SdsBinaryTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_listener_serves_its_certificate_from_sds_keeps_it_on_a_bad_push_and_takes_a_rotated_one(bool delta)
    {
        using var certificates = await TestCertificates.CreateAsync();
        var one = await certificates.IssueAsync("one.test");
        var two = await certificates.IssueAsync("two.test");
        var (app, _) = NamedHttpResponder.Start("app", _ => 200);
        await using (app)
        {
            await using var served = await StartAsync(delta, app.EndPoint.Port, [await SecretAsync("default", one)], TlsListener("default"), output);
            var (plane, proxy, inbound) = (served.Plane, served.Proxy, served.Inbound);
            Assert.Contains("CN=one.test", await SubjectAsync(certificates, inbound), StringComparison.Ordinal);

            // The key of another certificate: NACKed by name, the certificate in use stays.
            var nonce = await plane.PushAsync(Sds, "s2", [await SecretAsync("default", (one.Chain, two.Key))]);
            var nack = await plane.NextAsync(Sds);
            Assert.Equal(nonce, nack.Nonce);
            Assert.Contains("SDS default: tls_certificate.private_key: inline does not match the certificate in inline", nack.Error, StringComparison.Ordinal);
            Assert.Contains("CN=one.test", await SubjectAsync(certificates, inbound), StringComparison.Ordinal);

            await plane.PushAckedAsync(Sds, "s3", [await SecretAsync("default", two)]);
            var subject = await served.WaitForSubjectAsync(certificates, "two.test");

            Assert.True(subject.Contains("CN=two.test", StringComparison.Ordinal), $"new handshakes do not get the rotated certificate: {subject}\n{proxy.Describe()}");
            var curl = await TlsPeers.CurlAsync(certificates, inbound, "two.test", "-s", "-o", "/dev/null", "-w", "%{http_code}", TlsPeers.Url(inbound, "two.test", "/"));
            Assert.Equal("200", curl.Stdout);
            var certs = await proxy.AdminGetAsync("/certs");
            Assert.Contains("\"name\": \"default\"", certs, StringComparison.Ordinal);
            Assert.Contains("\"certificate_chain\": \"inline\"", certs, StringComparison.Ordinal);
            Assert.Contains("meshedge_xds_rejections_total{type=\"SDS\"} 1", await proxy.AdminGetAsync("/metrics"), StringComparison.Ordinal);
            await proxy.StopCleanlyAsync();
        }
    }
}
