using System.Net;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>
/// Checks that need more than one entry: unique names, listeners that would fail to bind because
/// another one holds the address, and cluster references. Entries whose own binding failed carry
/// placeholders (empty name, port 0) that these checks skip, so one mistake gives one error.
/// </summary>
internal static class CrossReferenceValidator
{
    public static void Validate(List<BoundItem<ListenerConfig>> listeners, List<BoundItem<ClusterConfig>> clusters,
        ConfigErrorList errors)
    {
        var clusterNames = CheckUniqueNames(clusters, c => c.Name, "clusters", "cluster", errors);
        CheckUniqueNames(listeners, l => l.Name, "listeners", "listener", errors);
        CheckAddresses(listeners, errors);
        // A cluster whose name failed to bind may be the one a listener meant; saying the reference
        // is unknown as well would report one mistake twice.
        if (clusters.TrueForAll(c => c.Config.Name.Length > 0))
        {
            CheckClusterReferences(listeners, clusterNames, clusters.Count == 0, errors);
            RpcProxyBinder.CheckClusterReferences(listeners, clusterNames, errors);
        }
    }

    private static HashSet<string> CheckUniqueNames<T>(List<BoundItem<T>> items, Func<T, string> nameOf,
        string arrayKey, string what, ConfigErrorList errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var name = nameOf(item.Config);
            if (name.Length > 0 && !seen.Add(name))
            {
                errors.Add(KeyPath.Child(KeyPath.Index(arrayKey, item.Index), "name"), item.Table.PositionOf("name"),
                    $"duplicate {what} name {ConfigScalar.Quote(name)}");
            }
        }

        return seen;
    }

    private static void CheckAddresses(List<BoundItem<ListenerConfig>> listeners, ConfigErrorList errors)
    {
        for (var i = 0; i < listeners.Count; i++)
        {
            var address = listeners[i].Config.Address;
            if (address.Port == 0)
            {
                continue; // ephemeral: the kernel picks a free port, so it cannot clash
            }

            for (var j = 0; j < i; j++)
            {
                var earlier = listeners[j].Config.Address;
                if (earlier.Port != address.Port || !Overlaps(earlier.Address, address.Address))
                {
                    continue;
                }

                var reason = earlier.Equals(address)
                    ? $"address {address} is already used by listeners[{listeners[j].Index}]"
                    : $"address {address} overlaps {earlier} of listeners[{listeners[j].Index}]";
                errors.Add(KeyPath.Child(KeyPath.Index("listeners", listeners[i].Index), "address"),
                    listeners[i].Table.PositionOf("address"), reason);
                break;
            }
        }
    }

    // A wildcard (0.0.0.0 or ::) bind on a port takes that port on every address of its family, so
    // a second listener on a specific address of the same family would fail with EADDRINUSE.
    private static bool Overlaps(IPAddress a, IPAddress b) =>
        a.Equals(b)
        || (a.AddressFamily == b.AddressFamily && (IsWildcard(a) || IsWildcard(b)));

    private static bool IsWildcard(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static void CheckClusterReferences(List<BoundItem<ListenerConfig>> listeners, HashSet<string> clusterNames,
        bool noClusters, ConfigErrorList errors)
    {
        foreach (var listener in listeners)
        {
            CheckRouteClusters(listener, clusterNames, errors);
            CheckSniRouteClusters(listener, clusterNames, errors);
            var cluster = listener.Config.TcpProxy.Cluster;
            if (cluster.Length == 0 || clusterNames.Contains(cluster))
            {
                continue;
            }

            var position = listener.Table.TryGet("tcp_proxy", out var node) && node is ConfigTable tcpProxy
                ? tcpProxy.PositionOf("cluster")
                : listener.Table.Position;
            var hint = noClusters ? " (no clusters are defined)" : "";
            errors.Add(KeyPath.Child(KeyPath.Child(KeyPath.Index("listeners", listener.Index), "tcp_proxy"), "cluster"),
                position, $"unknown cluster {ConfigScalar.Quote(cluster)}{hint}");
        }
    }

    /// <summary>Every cluster a tcp_proxy's SNI route names must exist.</summary>
    private static void CheckSniRouteClusters(BoundItem<ListenerConfig> listener, HashSet<string> clusterNames, ConfigErrorList errors)
    {
        var routes = listener.Config.TcpProxy.SniRoutes;
        var tables = listener.Table.TryGet("tcp_proxy", out var node) && node is ConfigTable tcp
            && tcp.TryGet(SniRouteBinder.Key, out var array) && array is ConfigArray items ? items.Items : [];
        for (var i = 0; i < routes.Length; i++)
        {
            var cluster = routes[i].Cluster;
            if (cluster.Length == 0 || clusterNames.Contains(cluster))
            {
                continue;
            }

            var position = i < tables.Count && tables[i] is ConfigTable route ? route.PositionOf("cluster") : listener.Table.Position;
            var path = KeyPath.Index(KeyPath.Child(KeyPath.Child(KeyPath.Index("listeners", listener.Index), "tcp_proxy"), SniRouteBinder.Key), i);
            errors.Add(KeyPath.Child(path, "cluster"), position,
                $"unknown cluster {ConfigScalar.Quote(cluster)}{(clusterNames.Count == 0 ? " (no clusters are defined)" : "")}");
        }
    }

    /// <summary>Every cluster an HTTP route names, directly or among weighted clusters, must exist.</summary>
    private static void CheckRouteClusters(BoundItem<ListenerConfig> listener, HashSet<string> clusterNames, ConfigErrorList errors)
    {
        if (listener.Config.Http is not { } http)
        {
            return;
        }

        var httpPath = KeyPath.Child(KeyPath.Index("listeners", listener.Index), "http");
        for (var h = 0; h < http.VirtualHosts.Length; h++)
        {
            var routes = http.VirtualHosts[h].Routes;
            for (var r = 0; r < routes.Length; r++)
            {
                var routePath = KeyPath.Index(KeyPath.Child(KeyPath.Index(KeyPath.Child(httpPath, "virtual_hosts"), h), "routes"), r);
                if (routes[r].Cluster is { } cluster && !clusterNames.Contains(cluster))
                {
                    errors.Add(KeyPath.Child(routePath, "cluster"), SourcePosition.None, $"unknown cluster {ConfigScalar.Quote(cluster)}");
                }

                for (var w = 0; w < routes[r].WeightedClusters.Length; w++)
                {
                    var name = routes[r].WeightedClusters[w].Cluster;
                    if (!clusterNames.Contains(name))
                    {
                        errors.Add(KeyPath.Child(KeyPath.Index(KeyPath.Child(routePath, "weighted_clusters"), w), "cluster"),
                            SourcePosition.None, $"unknown cluster {ConfigScalar.Quote(name)}");
                    }
                }
            }
        }
    }
}
