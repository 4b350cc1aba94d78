using Envoy.Service.Discovery.V3;
using MeshEdge.Config.Model;
using MeshEdge.Native.Tests.Xds.ControlPlane;
using MeshEdge.Native.Xds;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>The xDS client against the test control plane over state-of-the-world ADS.</summary>
public sealed class AdsStateOfTheWorldTests
{
    private static readonly string Cds = XdsResourceType.Clusters.TypeUrl;
    private static readonly string Eds = XdsResourceType.Endpoints.TypeUrl;
    private static readonly string Lds = XdsResourceType.Listeners.TypeUrl;
    private static readonly string Rds = XdsResourceType.Routes.TypeUrl;

    [Fact]
    public async Task FirstRequestCarriesTheNodeThenAnAckEchoesVersionAndNonce()
    {
        await using var xds = await XdsHarness.StartAsync(delta: false);
        var first = await xds.Plane.NextAsync<DiscoveryRequest>(Cds);
        Assert.Equal("sidecar~10.0.0.7~web-1.shop~shop.svc.cluster.local", first.Node.Id);
        Assert.Equal("1.24.0", first.Node.Metadata.Fields["ISTIO_VERSION"].StringValue);
        Assert.Equal("web", first.Node.Metadata.Fields["LABELS"].StructValue.Fields["app"].StringValue);
        Assert.Empty(first.ResponseNonce);

        var nonce = await xds.Plane.PushAsync(Cds, "v1", XdsResources.StaticCluster("backend", 9001));
        var ack = await xds.Plane.NextAsync<DiscoveryRequest>(Cds);
        Assert.Equal("v1", ack.VersionInfo);
        Assert.Equal(nonce, ack.ResponseNonce);
        Assert.Null(ack.ErrorDetail);
        Assert.Null(ack.Node);
        Assert.Contains(xds.Target.Last!.Clusters, c => c.Name == "backend");
        Assert.Equal("v1", xds.Client.Status.For(XdsResourceType.Clusters).Version);
    }

    [Fact]
    public async Task APartlyInvalidResponseIsNackedWithTheLastGoodVersionAndItsValidResourcesApplied()
    {
        await using var xds = await XdsHarness.StartAsync(delta: false);
        await xds.Plane.NextAsync<DiscoveryRequest>(Cds);
        await xds.Plane.PushAsync(Cds, "v1", XdsResources.StaticCluster("a", 9001));
        await xds.Plane.NextAsync<DiscoveryRequest>(Cds);

        // v2: "a" moves to another port, "secure" carries a TLS context MeshEdge cannot honour.
        var nonce = await xds.Plane.PushAsync(Cds, "v2", XdsResources.StaticCluster("a", 9002), XdsResources.TlsCluster("secure", 9443));
        var nack = await xds.Plane.NextAsync<DiscoveryRequest>(Cds);
        Assert.Equal("v1", nack.VersionInfo);
        Assert.Equal(nonce, nack.ResponseNonce);
        Assert.NotNull(nack.ErrorDetail);
        Assert.Contains("CDS secure", nack.ErrorDetail.Message);
        Assert.Contains("transport_socket", nack.ErrorDetail.Message);

        // A46: the valid part of v2 is applied; the invalid resource is not.
        var clusters = xds.Target.Last!.Clusters;
        Assert.Contains(clusters, c => c.Name == "a" && c.Hosts.Single().Address.Port == 9002);
        Assert.DoesNotContain(clusters, c => c.Name == "secure");
        var status = xds.Client.Status.For(XdsResourceType.Clusters);
        Assert.Equal("v1", status.Version);
        Assert.Equal(1, status.Rejections);
        Assert.Contains("secure", status.LastNackError);
    }

    [Fact]
    public async Task AClusterWarmsUntilItsEndpointsArriveAndAListenerUntilItsRoutes()
    {
        await using var xds = await XdsHarness.StartAsync(delta: false);
        await xds.Plane.NextAsync<DiscoveryRequest>(Cds);
        await xds.Plane.PushAsync(Cds, "c1", XdsResources.EdsCluster("web"));
        await xds.Plane.NextAsync<DiscoveryRequest>(Cds);
        var edsRequest = await xds.Plane.NextAsync<DiscoveryRequest>(Eds);
        Assert.Equal(["web"], edsRequest.ResourceNames);
        Assert.DoesNotContain(xds.Target.Last!.Clusters, c => c.Name == "web");

        await xds.Plane.PushAsync(Eds, "e1", XdsResources.Assignment("web", 9001, 9002));
        await xds.Plane.NextAsync<DiscoveryRequest>(Eds);
        var web = Assert.Single(xds.Target.Last!.Clusters, c => c.Name == "web");
        Assert.Equal([9001, 9002], web.Hosts.Select(h => h.Address.Port).Order());

        await xds.Plane.PushAsync(Lds, "l1", XdsResources.HttpListener("in", 0, "web-routes"));
        await xds.Plane.NextAsync<DiscoveryRequest>(Lds);
        var rdsRequest = await xds.Plane.NextAsync<DiscoveryRequest>(Rds);
        Assert.Equal(["web-routes"], rdsRequest.ResourceNames);
        Assert.Empty(xds.Target.Last!.Listeners);

        await xds.Plane.PushAsync(Rds, "r1", XdsResources.Routes("web-routes", "web"));
        var ack = await xds.Plane.NextAsync<DiscoveryRequest>(Rds);
        Assert.Null(ack.ErrorDetail);
        var listener = Assert.Single(xds.Target.Last!.Listeners);
        Assert.Equal(ListenerProtocol.Http, listener.Protocol);
    }

    [Fact]
    public async Task AnUnknownRequiredHttpFilterIsNackedAndAnOptionalOneSkippedAndCounted()
    {
        await using var xds = await XdsHarness.StartAsync(delta: false);
        await xds.Plane.NextAsync<DiscoveryRequest>(Lds);
        await xds.Plane.PushAsync(Lds, "l1", XdsResources.HttpListener("in", 0, "r", XdsResources.Opaque("istio.stats", "stats.PluginConfig", optional: true)));
        var ack = await xds.Plane.NextAsync<DiscoveryRequest>(Lds);
        Assert.Null(ack.ErrorDetail);
        Assert.Equal(1, xds.Client.Status.OptionalFiltersSkipped);

        await xds.Plane.PushAsync(Lds, "l2", XdsResources.HttpListener("in", 0, "r", XdsResources.Opaque("wasm", "envoy.extensions.filters.http.wasm.v3.Wasm", optional: false)));
        var nack = await xds.Plane.NextAsync<DiscoveryRequest>(Lds);
        Assert.Equal("l1", nack.VersionInfo);
        Assert.Contains("LDS in", nack.ErrorDetail.Message);
        Assert.Contains("not marked is_optional", nack.ErrorDetail.Message);

        await xds.Plane.PushAsync(Lds, "l3", XdsResources.HttpListener("in", 0, "r", XdsResources.Opaque("authz", "envoy.extensions.filters.http.rbac.v3.RBAC", optional: true)));
        var security = await xds.Plane.NextAsync<DiscoveryRequest>(Lds);
        Assert.Equal("l1", security.VersionInfo);
        Assert.Contains("enforces security", security.ErrorDetail.Message);
    }

    [Fact]
    public async Task AWholeConfigTheTargetRefusesIsNackedAndTheCacheStaysAsItWas()
    {
        await using var xds = await XdsHarness.StartAsync(delta: false);
        await xds.Plane.NextAsync<DiscoveryRequest>(Cds);
        await xds.Plane.PushAsync(Cds, "v1", XdsResources.StaticCluster("a", 9001));
        await xds.Plane.NextAsync<DiscoveryRequest>(Cds);
        xds.Target.Refusal = "no room";
        await xds.Plane.PushAsync(Cds, "v2", XdsResources.StaticCluster("b", 9002));
        var nack = await xds.Plane.NextAsync<DiscoveryRequest>(Cds);
        Assert.Equal("v1", nack.VersionInfo);
        Assert.Contains("no room", nack.ErrorDetail.Message);

        xds.Target.Refusal = null;
        await xds.Plane.PushAsync(Eds, "e1");
        await XdsHarness.Until(() => xds.Target.Applied.Count >= 2, "the next apply");
        Assert.Equal(["a", "xds-grpc"], xds.Target.Last!.Clusters.Select(c => c.Name).Order());
    }

    [Fact]
    public async Task AfterTheControlPlaneRestartsTheClientReconnectsAndResumesFromItsVersion()
    {
        await using var xds = await XdsHarness.StartAsync(delta: false);
        await xds.Plane.NextAsync<DiscoveryRequest>(Cds);
        await xds.Plane.PushAsync(Cds, "v1", XdsResources.StaticCluster("a", 9001));
        await xds.Plane.NextAsync<DiscoveryRequest>(Cds);
        var applied = xds.Target.Applied.Count;
        var port = xds.Plane.Port;

        await xds.Plane.StopAsync();
        await XdsHarness.Until(() => !xds.Client.Status.Connected, "the disconnect");
        Assert.Equal(applied, xds.Target.Applied.Count);

        xds.Plane = await TestControlPlane.StartAsync(port);
        var resumed = await xds.Plane.NextAsync<DiscoveryRequest>(Cds);
        Assert.Equal("v1", resumed.VersionInfo);
        Assert.Empty(resumed.ResponseNonce);
        Assert.NotNull(resumed.Node);
        await XdsHarness.Until(() => xds.Client.Status.Connects == 2 && xds.Client.Status.Connected, "the second stream counted");
    }
}
