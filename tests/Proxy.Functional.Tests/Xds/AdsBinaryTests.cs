using Envoy.Service.Discovery.V3;
using MeshEdge.Functional.Tests.Harness;
using MeshEdge.Native.Tests.Xds;
using MeshEdge.Native.Tests.Xds.ControlPlane;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Xds;

/// <summary>
/// The AOT binary started from an Envoy bootstrap whose dynamic_resources point ADS at the test
/// control plane: it dials it over h2c (its own gRPC client), says who it is, and answers each push:
/// an invalid one is NACKed naming the resource, a valid one applied live and ACKed.
/// </summary>
public sealed class AdsBinaryTests(ITestOutputHelper output)
{
    private const string Cds = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    internal static string Bootstrap(int controlPlanePort, string apiType) => $$"""
        {
          "node": { "id": "sidecar~127.0.0.1~web-1.shop~shop.svc.cluster.local", "cluster": "web.shop",
                    "metadata": { "ISTIO_VERSION": "1.24.0", "LABELS": { "app": "web" } } },
          "admin": { "address": { "socket_address": { "address": "127.0.0.1", "port_value": 0 } } },
          "dynamic_resources": {
            "ads_config": { "api_type": "{{apiType}}", "grpc_services": [ { "envoy_grpc": { "cluster_name": "xds-grpc" } } ] },
            "cds_config": { "ads": {} }, "lds_config": { "ads": {} }
          },
          "static_resources": { "clusters": [ { "name": "xds-grpc", "type": "STATIC", "connect_timeout": "1s",
            "load_assignment": { "cluster_name": "xds-grpc", "endpoints": [ { "lb_endpoints": [ { "endpoint": { "address":
              { "socket_address": { "address": "127.0.0.1", "port_value": {{controlPlanePort}} } } } } ] } ] } } ] }
        }
        """;

    [Fact]
    public async Task TheBinaryDialsTheControlPlaneNacksWhatItCannotTakeAndAcksWhatItApplies()
    {
        await using var plane = await TestControlPlane.StartAsync();
        await using var proxy = await ProxyProcess.StartWithFileAsync("envoy.json", Bootstrap(plane.Port, "GRPC"), output);

        var first = await plane.NextAsync<DiscoveryRequest>(Cds);
        Assert.Equal("sidecar~127.0.0.1~web-1.shop~shop.svc.cluster.local", first.Node.Id);
        Assert.Equal("web", first.Node.Metadata.Fields["LABELS"].StructValue.Fields["app"].StringValue);
        Assert.Equal("meshedge", first.Node.UserAgentName);

        var nonce = await plane.PushAsync(Cds, "v1", XdsResources.TlsCluster("secure", 9443));
        var nack = await plane.NextAsync<DiscoveryRequest>(Cds);
        Assert.Equal(nonce, nack.ResponseNonce);
        Assert.Equal("", nack.VersionInfo);
        Assert.Contains("CDS secure: transport_socket", nack.ErrorDetail.Message, StringComparison.Ordinal);

        await plane.PushAsync(Cds, "v2", XdsResources.StaticCluster("web", 9001));
        var answer = await plane.NextAsync<DiscoveryRequest>(Cds);
        Assert.Null(answer.ErrorDetail);
        Assert.Equal("v2", answer.VersionInfo);

        var metrics = await proxy.AdminGetAsync("/metrics");
        Assert.Contains("meshedge_xds_rejections_total{type=\"CDS\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("meshedge_xds_connected{type=\"CDS\"} 1", metrics, StringComparison.Ordinal);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task OverDeltaTheBinarySubscribesAndAnswersByNonce()
    {
        await using var plane = await TestControlPlane.StartAsync();
        await using var proxy = await ProxyProcess.StartWithFileAsync("envoy.json", Bootstrap(plane.Port, "DELTA_GRPC"), output);

        var first = await plane.NextAsync<DeltaDiscoveryRequest>(Cds);
        Assert.Equal("sidecar~127.0.0.1~web-1.shop~shop.svc.cluster.local", first.Node.Id);
        var nonce = await plane.PushDeltaAsync(Cds, "s1", [("secure", "1", XdsResources.TlsCluster("secure", 9443))]);
        var nack = await plane.NextAsync<DeltaDiscoveryRequest>(Cds);
        Assert.Equal(nonce, nack.ResponseNonce);
        Assert.Contains("CDS secure", nack.ErrorDetail.Message, StringComparison.Ordinal);
        await proxy.StopCleanlyAsync();
    }
}
