using Envoy.Service.Discovery.V3;
using Grpc.Core;

namespace MeshEdge.Native.Tests.Xds.ControlPlane;

/// <summary>The ADS service the test control plane hosts: hands each stream to <see cref="TestControlPlane"/>.</summary>
internal sealed class AdsTestService(TestControlPlane plane) : AggregatedDiscoveryService.AggregatedDiscoveryServiceBase
{
    public override Task StreamAggregatedResources(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext context) =>
        plane.ServeAsync(requestStream, responseStream, context.CancellationToken);

    public override Task DeltaAggregatedResources(IAsyncStreamReader<DeltaDiscoveryRequest> requestStream, IServerStreamWriter<DeltaDiscoveryResponse> responseStream, ServerCallContext context) =>
        plane.ServeAsync(requestStream, responseStream, context.CancellationToken);
}
