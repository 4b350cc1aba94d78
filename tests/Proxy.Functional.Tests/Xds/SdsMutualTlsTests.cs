using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Tls;
using Xunit.Abstractions;
using static MeshEdge.Functional.Tests.Xds.SdsServedListener;

namespace MeshEdge.Functional.Tests.Xds;

/// <summary>
/// Mutual TLS on the binary with both halves from SDS, as an Istio sidecar gets them: the certificate
/// as <c>default</c>, the CA its clients must come from as the validation secret <c>ROOTCA</c>. curl
/// with a certificate from that CA gets through; without one, or with one from another CA, it is
/// refused in the handshake (counted by reason) and the app sees nothing.
/// </summary>
public sealed class SdsMutualTlsTests(ITestOutputHelper output)
{
    private const string Name = "inbound.test";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_from_the_rootca_secret_is_accepted_and_one_without_or_from_another_ca_refused(bool delta)
    {
        using var servers = await TestCertificates.CreateAsync();
        using var mesh = await TestCertificates.CreateAsync();
        using var strangers = await TestCertificates.CreateAsync();
        var server = await servers.IssueAsync(Name);
        var member = await mesh.IssueAsync("client.test");
        var stranger = await strangers.IssueAsync("client.test");
        var requests = 0;
        var (app, _) = NamedHttpResponder.Start("app", _ =>
        {
            Interlocked.Increment(ref requests);
            return 200;
        });
        await using (app)
        {
            Google.Protobuf.IMessage[] secrets = [await SecretAsync("default", server), await CaSecretAsync("ROOTCA", mesh.CaPath)];
            await using var served = await StartAsync(delta, app.EndPoint.Port, secrets, TlsListener("default", clientCa: "ROOTCA"), output);
            var inbound = served.Inbound;
            Task<Harness.ToolRun> CurlAsync(params string[] arguments) =>
                TlsPeers.CurlAsync(servers, inbound, Name, ["-s", "-o", "/dev/null", "-w", "%{http_code}", .. arguments, TlsPeers.Url(inbound, Name, "/")]);

            var accepted = await CurlAsync("--cert", member.Chain, "--key", member.Key);
            Assert.True(accepted.ExitCode == 0 && accepted.Stdout == "200", accepted.ToString());
            Assert.Equal(1, Volatile.Read(ref requests));

            var without = await CurlAsync();
            Assert.True(without.ExitCode != 0, without.ToString());
            await TlsPeers.AssertFailuresReachAsync(served.Proxy, "no_client_certificate", 1);

            var foreign = await CurlAsync("--cert", stranger.Chain, "--key", stranger.Key);
            Assert.True(foreign.ExitCode != 0, foreign.ToString());
            await TlsPeers.AssertFailuresReachAsync(served.Proxy, "bad_client_certificate", 1);

            Assert.Equal(1, Volatile.Read(ref requests));

            // /certs: both secrets, by the name the control plane gave them, the CA beside the certificate.
            using var certs = JsonDocument.Parse(await served.Proxy.AdminGetAsync("/certs"));
            var certificate = Assert.Single(certs.RootElement.GetProperty("certificates").EnumerateArray());
            Assert.Equal(("default", "sds:default"), (certificate.GetProperty("name").GetString(), certificate.GetProperty("source").GetString()));
            var ca = Assert.Single(certs.RootElement.GetProperty("ca_certificates").EnumerateArray());
            Assert.Equal(("ROOTCA", "sds:ROOTCA", "CN=MeshEdge Test CA"), (ca.GetProperty("name").GetString(), ca.GetProperty("source").GetString(), ca.GetProperty("subject").GetString()));
            Assert.Equal([SdsServedListener.Listener], ca.GetProperty("listeners").EnumerateArray().Select(l => l.GetString()));
            await served.Proxy.StopCleanlyAsync();
        }
    }
}
