using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using MeshEdge.Native.Tests.Xds;

namespace MeshEdge.Bench.Xds;

/// <summary>
/// The pushed config: N EDS clusters c0..c(N-1), one ClusterLoadAssignment each with one host (the
/// backend), and one HTTP listener whose RouteConfiguration sends /c/I/ to cI for every hundredth
/// cluster and the last one (a sidecar routes to some of the clusters it knows, not all).
/// </summary>
internal sealed class BenchResources(int clusters, int backendPort, int listenerPort)
{
    public const string RouteName = "bench-routes";
    public const string ListenerName = "bench";

    public int ListenerPort => listenerPort;

    /// <summary>The cluster whose endpoint changes: routed, in the middle of the list.</summary>
    public int ChangedCluster => clusters / 2 / 100 * 100;

    public int LastCluster => clusters - 1;

    public static string Name(int i) => "c" + i;

    public static string PathOf(int i) => $"/c/{i}/";

    public IEnumerable<Cluster> Clusters() => Enumerable.Range(0, clusters).Select(i => XdsResources.EdsCluster(Name(i)));

    public IEnumerable<ClusterLoadAssignment> Assignments() => Enumerable.Range(0, clusters).Select(i => XdsResources.Assignment(Name(i), backendPort));

    public Listener Listener() => XdsResources.HttpListener(ListenerName, listenerPort, RouteName);

    public RouteConfiguration Routes()
    {
        var host = new VirtualHost { Name = "all" };
        host.Domains.Add("*");
        foreach (var i in Enumerable.Range(0, clusters).Where(i => i % 100 == 0 || i == clusters - 1))
        {
            host.Routes.Add(new Route { Match = new RouteMatch { Prefix = PathOf(i) }, Route_ = new RouteAction { Cluster = Name(i) } });
        }

        var routes = new RouteConfiguration { Name = RouteName };
        routes.VirtualHosts.Add(host);
        return routes;
    }
}
