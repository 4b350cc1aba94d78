namespace MeshEdge.Config.Model;

/// <summary>One RPC route: a match on the request's headers and the cluster it sends to.</summary>
/// <param name="Timeout">Overrides the listener's default for requests that carry no timeout; null keeps it.</param>
public sealed record RpcRouteConfig(RpcRouteMatch Match, string Cluster, TimeSpan? Timeout);
