using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using MeshEdge.Native.Tests.Xds.ControlPlane;
using MeshEdge.Native.Xds;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>The xDS client against the test control plane over incremental (delta) ADS, Istio's default.</summary>
public sealed class AdsDeltaTests
{
    private static readonly string Cds = XdsResourceType.Clusters.TypeUrl;
    private static readonly string Eds = XdsResourceType.Endpoints.TypeUrl;

    private static (string, string, IMessage) R(string name, string version, IMessage resource) => (name, version, resource);

    [Fact]
    public async Task ChangesAddToWhatIsHeldRemovalsAreNamedAndEachResponseIsAckedByNonce()
    {
        await using var xds = await XdsHarness.StartAsync(delta: true);
        var first = await xds.Plane.NextAsync<DeltaDiscoveryRequest>(Cds);
        Assert.Equal("sidecar~10.0.0.7~web-1.shop~shop.svc.cluster.local", first.Node.Id);

        var nonce = await xds.Plane.PushDeltaAsync(Cds, "s1", [R("a", "1", XdsResources.StaticCluster("a", 9001)), R("b", "1", XdsResources.StaticCluster("b", 9002))]);
        var ack = await xds.Plane.NextAsync<DeltaDiscoveryRequest>(Cds);
        Assert.Equal(nonce, ack.ResponseNonce);
        Assert.Null(ack.ErrorDetail);
        Assert.Equal(["a", "b", "xds-grpc"], xds.Target.Last!.Clusters.Select(c => c.Name).Order());

        // Only b changes; a is not sent again and stays.
        await xds.Plane.PushDeltaAsync(Cds, "s2", [R("b", "2", XdsResources.StaticCluster("b", 9003))]);
        await xds.Plane.NextAsync<DeltaDiscoveryRequest>(Cds);
        Assert.Contains(xds.Target.Last!.Clusters, c => c.Name == "a");
        Assert.Equal(9003, Assert.Single(xds.Target.Last!.Clusters, c => c.Name == "b").Hosts.Single().Address.Port);

        await xds.Plane.PushDeltaAsync(Cds, "s3", [], "a");
        await xds.Plane.NextAsync<DeltaDiscoveryRequest>(Cds);
        Assert.Equal(["b", "xds-grpc"], xds.Target.Last!.Clusters.Select(c => c.Name).Order());
    }

    [Fact]
    public async Task AnInvalidResourceIsNackedByNameWhileTheValidOnesApply()
    {
        await using var xds = await XdsHarness.StartAsync(delta: true);
        await xds.Plane.NextAsync<DeltaDiscoveryRequest>(Cds);
        await xds.Plane.PushDeltaAsync(Cds, "s1", [R("a", "1", XdsResources.StaticCluster("a", 9001)), R("tls", "1", XdsResources.TlsCluster("tls", 9443))]);
        var nack = await xds.Plane.NextAsync<DeltaDiscoveryRequest>(Cds);
        Assert.Contains("CDS tls", nack.ErrorDetail.Message);
        Assert.Contains(xds.Target.Last!.Clusters, c => c.Name == "a");
        Assert.DoesNotContain(xds.Target.Last!.Clusters, c => c.Name == "tls");
    }

    [Fact]
    public async Task EndpointsAreSubscribedByNameAfterTheirClusterAndAResumedStreamSaysWhatItHolds()
    {
        await using var xds = await XdsHarness.StartAsync(delta: true);
        await xds.Plane.NextAsync<DeltaDiscoveryRequest>(Cds);
        await xds.Plane.PushDeltaAsync(Cds, "s1", [R("web", "1", XdsResources.EdsCluster("web"))]);
        await xds.Plane.NextAsync<DeltaDiscoveryRequest>(Cds);
        var subscribe = await xds.Plane.NextAsync<DeltaDiscoveryRequest>(Eds);
        Assert.Equal(["web"], subscribe.ResourceNamesSubscribe);
        await xds.Plane.PushDeltaAsync(Eds, "s2", [R("web", "7", XdsResources.Assignment("web", 9001))]);
        await xds.Plane.NextAsync<DeltaDiscoveryRequest>(Eds);
        Assert.Equal(9001, Assert.Single(xds.Target.Last!.Clusters, c => c.Name == "web").Hosts.Single().Address.Port);

        var port = xds.Plane.Port;
        await xds.Plane.StopAsync();
        await XdsHarness.Until(() => !xds.Client.Status.Connected, "the disconnect");
        xds.Plane = await TestControlPlane.StartAsync(port);
        var resumedClusters = await xds.Plane.NextAsync<DeltaDiscoveryRequest>(Cds);
        Assert.Equal("1", resumedClusters.InitialResourceVersions["web"]);
        var resumedEndpoints = await xds.Plane.NextAsync<DeltaDiscoveryRequest>(Eds);
        Assert.Equal(["web"], resumedEndpoints.ResourceNamesSubscribe);
        Assert.Equal("7", resumedEndpoints.InitialResourceVersions["web"]);
    }
}
