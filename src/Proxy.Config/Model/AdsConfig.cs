namespace MeshEdge.Config.Model;

/// <summary>
/// Where a bootstrap's <c>dynamic_resources</c> would fetch listeners and clusters: an aggregated
/// discovery service over gRPC (<paramref name="ApiType"/> GRPC for state of the world, DELTA_GRPC for
/// incremental) reached through the static cluster <paramref name="Cluster"/>. Recorded for the xDS
/// client; nothing reads it yet.
/// </summary>
public sealed record AdsConfig(string ApiType, string Cluster);
