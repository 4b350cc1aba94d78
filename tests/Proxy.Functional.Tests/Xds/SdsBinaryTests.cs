using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using MeshEdge.Functional.Tests.Tls;
using MeshEdge.Native.Tests.Xds;
using Xunit.Abstractions;
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
            await using var plane = await XdsPlaneDriver.StartAsync(delta);
            await using var proxy = await ProxyProcess.StartWithFileAsync("envoy.json", AdsBinaryTests.Bootstrap(plane.Server.Port, plane.ApiType), output);

            await plane.NextAsync(Cds);
            await plane.PushAckedAsync(Cds, "c1", [XdsResources.StaticCluster("app", app.EndPoint.Port)]);
            await plane.PushAckedAsync(Lds, "l1", [TlsListener("inbound", "default")]);
            Assert.Equal(["routes"], (await plane.NextAsync(Rds)).Subscribed);
            Assert.Equal(["default"], (await plane.NextAsync(Sds)).Subscribed);
            await plane.PushAckedAsync(Rds, "r1", [XdsResources.Routes("routes", "app")]);

            await plane.PushAckedAsync(Sds, "s1", [await SecretAsync("default", one)]);
            await proxy.WaitForLogAsync("listener started", TimeSpan.FromSeconds(30), line => line.Get("listener") == "inbound");
            var inbound = proxy.ListenerAddress("inbound");
            Assert.Contains("CN=one.test", await SubjectAsync(certificates, inbound), StringComparison.Ordinal);

            // The key of another certificate: NACKed by name, the certificate in use stays.
            var nonce = await plane.PushAsync(Sds, "s2", [await SecretAsync("default", (one.Chain, two.Key))]);
            var nack = await plane.NextAsync(Sds);
            Assert.Equal(nonce, nack.Nonce);
            Assert.Contains("SDS default: tls_certificate.private_key: inline does not match the certificate in inline", nack.Error, StringComparison.Ordinal);
            Assert.Contains("CN=one.test", await SubjectAsync(certificates, inbound), StringComparison.Ordinal);

            await plane.PushAckedAsync(Sds, "s3", [await SecretAsync("default", two)]);
            var subject = "";
            for (var i = 0; i < 60 && !subject.Contains("CN=two.test", StringComparison.Ordinal); i++)
            {
                await Task.Delay(i == 0 ? 0 : 500);
                subject = await SubjectAsync(certificates, inbound);
            }

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

    private static Envoy.Config.Listener.V3.Listener TlsListener(string name, string secret)
    {
        var listener = XdsResources.HttpListener(name, 0, "routes");
        var common = new CommonTlsContext();
        common.TlsCertificateSdsSecretConfigs.Add(new SdsSecretConfig { Name = secret, SdsConfig = new ConfigSource { Ads = new AggregatedConfigSource() } });
        listener.FilterChains[0].TransportSocket = new TransportSocket
        {
            Name = "envoy.transport_sockets.tls",
            TypedConfig = Any.Pack(new DownstreamTlsContext { CommonTlsContext = common }),
        };
        return listener;
    }

    private static async Task<IMessage> SecretAsync(string name, (string Chain, string Key) files) => new Secret
    {
        Name = name,
        TlsCertificate = new TlsCertificate
        {
            CertificateChain = new DataSource { InlineBytes = ByteString.CopyFrom(await File.ReadAllBytesAsync(files.Chain)) },
            PrivateKey = new DataSource { InlineString = await File.ReadAllTextAsync(files.Key) },
        },
    };

    /// <summary>The subject line s_client prints for the certificate the listener served (spaces removed: OpenSSL versions differ).</summary>
    private static async Task<string> SubjectAsync(TestCertificates certificates, System.Net.IPEndPoint listener)
    {
        var run = await TlsPeers.SClientAsync(certificates, listener);
        var line = run.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith("subject=", StringComparison.Ordinal)) ?? run.ToString();
        return line.Replace(" ", "", StringComparison.Ordinal);
    }
}
