using System.Text.Json;
using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf.WellKnownTypes;
using MeshEdge.Functional.Tests.Harness;
using MeshEdge.Functional.Tests.Tls;
using MeshEdge.Native.Tests.Xds;
using Xunit.Abstractions;
using static MeshEdge.Functional.Tests.Xds.XdsPlaneDriver;

namespace MeshEdge.Functional.Tests.Xds;

/// <summary>
/// A TLS cluster from CDS keeps its client OpenSSL context while pushes leave it as it was: the whole
/// cluster list sent again with one more, and its own endpoints changed (/certs counts the client
/// contexts alive). Built again, each push would cost a context and the cluster's state.
/// </summary>
public sealed class XdsTlsClusterContextTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Pushes_that_leave_a_tls_cluster_as_it_was_keep_its_client_context()
    {
        using var certificates = await TestCertificates.CreateAsync();
        await using var plane = await XdsPlaneDriver.StartAsync(delta: false);
        await using var proxy = await ProxyProcess.StartWithFileAsync("envoy.json", AdsBinaryTests.Bootstrap(plane.Server.Port, plane.ApiType), output);
        await plane.NextAsync(Cds);
        var secure = TlsEdsCluster("secure", await File.ReadAllTextAsync(certificates.CaPath));
        await plane.PushAckedAsync(Cds, "c1", [secure]);
        Assert.Equal(["secure"], (await plane.NextAsync(Eds)).Subscribed);
        await plane.PushAckedAsync(Eds, "e1", [XdsResources.Assignment("secure", 9443)]);
        await WaitForLiveClientContextsAsync(proxy, 1);

        await plane.PushAckedAsync(Cds, "c2", [secure, XdsResources.StaticCluster("other", 9001)]);
        await plane.PushAckedAsync(Eds, "e2", [XdsResources.Assignment("secure", 9443, 9444)]);

        Assert.Equal(1, await LiveClientContextsAsync(proxy));
        await proxy.StopCleanlyAsync();
    }

    /// <summary>
    /// A push that changes a TLS cluster's settings (here its SNI) replaces its runtime, and with it
    /// its client context: once every worker has let go of the retired runtime (nothing of it in
    /// use), the replaced contexts are freed, so rotations through CDS do not pile up OpenSSL
    /// contexts (CA store, client certificate) for the life of the process.
    /// </summary>
    [Fact]
    public async Task A_tls_cluster_changed_by_pushes_frees_the_client_contexts_it_replaced()
    {
        using var certificates = await TestCertificates.CreateAsync();
        await using var plane = await XdsPlaneDriver.StartAsync(delta: false);
        await using var proxy = await ProxyProcess.StartWithFileAsync("envoy.json", AdsBinaryTests.Bootstrap(plane.Server.Port, plane.ApiType), output);
        await plane.NextAsync(Cds);
        var ca = await File.ReadAllTextAsync(certificates.CaPath);
        await plane.PushAckedAsync(Cds, "c1", [TlsEdsCluster("secure", ca)]);
        Assert.Equal(["secure"], (await plane.NextAsync(Eds)).Subscribed);
        await plane.PushAckedAsync(Eds, "e1", [XdsResources.Assignment("secure", 9443)]);
        await WaitForLiveClientContextsAsync(proxy, 1);

        for (var push = 2; push <= 4; push++)
        {
            await plane.PushAckedAsync(Cds, $"c{push}", [TlsEdsCluster("secure", ca, sni: $"backend{push}.test")]);
        }

        await WaitForLiveClientContextsAsync(proxy, 1);
        await proxy.StopCleanlyAsync();
    }

    /// <summary>An EDS cluster that originates TLS: the server must chain to <paramref name="caPem"/> and be named backend.test (as Istio sends, with SANs).</summary>
    private static Envoy.Config.Cluster.V3.Cluster TlsEdsCluster(string name, string caPem, string sni = "backend.test")
    {
        var cluster = XdsResources.EdsCluster(name);
        cluster.ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1));
        var validation = new CertificateValidationContext { TrustedCa = new DataSource { InlineString = caPem } };
        validation.MatchTypedSubjectAltNames.Add(new SubjectAltNameMatcher
        {
            SanType = SubjectAltNameMatcher.Types.SanType.Dns,
            Matcher = new Envoy.Type.Matcher.V3.StringMatcher { Exact = "backend.test" },
        });
        var context = new UpstreamTlsContext { Sni = sni, CommonTlsContext = new CommonTlsContext { ValidationContext = validation } };
        context.CommonTlsContext.AlpnProtocols.Add("http/1.1");
        cluster.TransportSocket = new TransportSocket { Name = "envoy.transport_sockets.tls", TypedConfig = Any.Pack(context) };
        return cluster;
    }

    private static async Task WaitForLiveClientContextsAsync(ProxyProcess proxy, long expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        long live;
        while ((live = await LiveClientContextsAsync(proxy)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(live == expected, $"live client contexts: {live}, expected {expected}\n{proxy.Describe()}");
    }

    private static async Task<long> LiveClientContextsAsync(ProxyProcess proxy)
    {
        using var certs = JsonDocument.Parse(await proxy.AdminGetAsync("/certs"));
        return certs.RootElement.TryGetProperty("live_client_contexts", out var live) ? live.GetInt64() : -1;
    }
}
