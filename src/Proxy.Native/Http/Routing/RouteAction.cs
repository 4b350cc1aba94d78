namespace MeshEdge.Native.Http.Routing;

internal enum RouteAction : byte
{
    Cluster,
    WeightedClusters,
    DirectResponse,
    Redirect,
}
