using MeshEdge.Config.Model;
using MeshEdge.Native.Http.Routing;

namespace MeshEdge.Native.Proxy;

/// <summary>
/// A tcp_proxy's SNI routes compiled: each server name with the route it belongs to. The most
/// specific name wins whatever the order (an exact name, then the longest "*." suffix), as Envoy
/// picks among filter chains; names are unique across routes, so there are no ties.
/// </summary>
internal sealed class SniRouteTable
{
    private readonly DomainPattern[] _patterns;
    private readonly int[] _routeOf;

    public SniRouteTable(TcpProxyConfig config, Func<string, int> clusterIndex)
    {
        var routes = config.SniRoutes;
        _patterns = [.. routes.SelectMany(r => r.ServerNames.Select(DomainPattern.Parse))];
        _routeOf = [.. routes.SelectMany((r, index) => r.ServerNames.Select(_ => index))];
        ClusterIndices = [.. routes.Select(r => clusterIndex(r.Cluster))];
        Routes = [.. routes];
        DefaultClusterIndex = config.Cluster.Length > 0 ? clusterIndex(config.Cluster) : -1;
    }

    public SniRouteConfig[] Routes { get; }

    /// <summary>Each route's cluster, as an index into the snapshot's clusters.</summary>
    public int[] ClusterIndices { get; }

    /// <summary>Where connections no route takes go; -1: they are closed.</summary>
    public int DefaultClusterIndex { get; }

    /// <summary>The route for <paramref name="serverName"/> (ASCII, any case); -1 when none matches.</summary>
    public int Match(ReadOnlySpan<byte> serverName)
    {
        var best = -1;
        var bestScore = -1;
        for (var i = 0; i < _patterns.Length; i++)
        {
            var score = _patterns[i].Score(serverName);
            if (score > bestScore)
            {
                bestScore = score;
                best = _routeOf[i];
            }
        }

        return best;
    }
}
