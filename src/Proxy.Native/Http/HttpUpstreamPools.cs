using MeshEdge.Config.Model;
using MeshEdge.Native.Http.Upstream2;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http;

/// <summary>Where a cluster's HTTP pool is chosen: the cluster's <c>protocol</c> says which version its connections speak.</summary>
internal static class HttpUpstreamPools
{
    public static IHttpUpstreamPool Create(Worker worker, ClusterRuntime cluster) => cluster.Config.Protocol switch
    {
        UpstreamProtocol.Http2 => new Http2UpstreamPool(worker, cluster),
        _ => new HttpConnectionPool(worker, cluster),
    };
}
