using MeshEdge.Config;
using MeshEdge.Config.Binding;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Native.Xds;

/// <summary>
/// The whole config from the bootstrap's static part and the resources accepted so far, through the
/// same Envoy translator and binder as a file: an EDS cluster gets its ClusterLoadAssignment as
/// load_assignment, an HTTP connection manager's rds its RouteConfiguration as route_config. Warming:
/// a cluster waits for its endpoints and a listener for its routes (left out until they arrive, or
/// served empty once the initial fetch timeout has passed); a cluster the control plane removed stays
/// while a listener or route still sends traffic to it.
/// </summary>
internal sealed class XdsConfigAssembler(ConfigTable bootstrap, string source, long initialFetchTimeoutMs)
{
    public ConfigLoadResult Assemble(XdsCache cache, long now)
    {
        var listeners = new List<ConfigNode>();
        var clusters = new List<ConfigNode>();
        var statics = XdsTree.Table(bootstrap, "static_resources");
        if (statics is not null)
        {
            listeners.AddRange(XdsTree.Tables(statics, "listeners"));
            clusters.AddRange(XdsTree.Tables(statics, "clusters"));
        }

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listener in cache.Of(XdsResourceType.Listeners).Values.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            if (WithRoutes(listener.Tree, cache, now) is { } ready)
            {
                listeners.Add(ready);
                XdsTree.CollectValues(ready, "cluster", referenced);
                CollectWeighted(ready, referenced);
            }
        }

        foreach (var cluster in cache.Of(XdsResourceType.Clusters).Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            if (WithEndpoints(cluster.Tree, cache, now) is { } ready)
            {
                clusters.Add(ready);
            }
        }

        foreach (var (name, retired) in cache.Retired.ToList())
        {
            if (referenced.Contains(name) && !cache.Of(XdsResourceType.Clusters).ContainsKey(name) && WithEndpoints(retired.Tree, cache, now) is { } kept)
            {
                clusters.Add(kept);
            }
            else
            {
                cache.Retired.Remove(name);
            }
        }

        var resources = new ConfigTable(SourcePosition.None);
        resources.TryAdd("listeners", XdsTree.ArrayOf(listeners), SourcePosition.None);
        resources.TryAdd("clusters", XdsTree.ArrayOf(clusters), SourcePosition.None);
        var root = XdsTree.With(bootstrap, "static_resources", resources);
        return ForeignConfigLoader.Load(root, ConfigFormat.EnvoyBootstrap, new ConfigErrorList(source));
    }

    /// <summary>The names of the ClusterLoadAssignments the clusters wait for.</summary>
    public static IEnumerable<string> EndpointNames(IEnumerable<XdsResource> clusters)
    {
        foreach (var cluster in clusters)
        {
            if (EdsName(cluster.Tree) is { } name)
            {
                yield return name;
            }
        }
    }

    /// <summary>The names of the RouteConfigurations the listeners' HTTP connection managers wait for.</summary>
    public static IEnumerable<string> RouteNames(IEnumerable<XdsResource> listeners)
    {
        foreach (var listener in listeners)
        {
            foreach (var manager in Managers(listener.Tree))
            {
                if (XdsTree.Table(manager, "rds") is { } rds && XdsTree.Text(rds, "route_config_name") is { } name)
                {
                    yield return name;
                }
            }
        }
    }

    private static string? EdsName(ConfigTable cluster)
    {
        if (XdsTree.Text(cluster, "type") != "EDS")
        {
            return null;
        }

        var service = XdsTree.Table(cluster, "eds_cluster_config") is { } eds ? XdsTree.Text(eds, "service_name") : null;
        return string.IsNullOrEmpty(service) ? XdsTree.Text(cluster, "name") : service;
    }

    private ConfigTable? WithEndpoints(ConfigTable cluster, XdsCache cache, long now)
    {
        if (EdsName(cluster) is not { } name)
        {
            return cluster;
        }

        ConfigNode assignment;
        if (cache.Of(XdsResourceType.Endpoints).TryGetValue(name, out var endpoints))
        {
            assignment = endpoints.Tree;
        }
        else if (cache.GaveUpOn(XdsResourceType.Endpoints, name, now, initialFetchTimeoutMs))
        {
            assignment = XdsTree.With(new ConfigTable(SourcePosition.None), "cluster_name", XdsTree.String(name));
        }
        else
        {
            return null;
        }

        return XdsTree.With(cluster, "load_assignment", assignment, "eds_cluster_config");
    }

    private ConfigTable? WithRoutes(ConfigTable listener, XdsCache cache, long now)
    {
        if (!Managers(listener).Any(m => XdsTree.Get(m, "rds") is not null))
        {
            return listener;
        }

        var ready = true;
        ConfigTable Chain(ConfigTable chain)
        {
            var filters = XdsTree.Tables(chain, "filters").Select(filter =>
            {
                if (XdsTree.Table(filter, "typed_config") is not { } manager || XdsTree.Table(manager, "rds") is not { } rds)
                {
                    return (ConfigNode)filter;
                }

                var name = XdsTree.Text(rds, "route_config_name") ?? "";
                ConfigTable routes;
                if (cache.Of(XdsResourceType.Routes).TryGetValue(name, out var found))
                {
                    routes = found.Tree;
                }
                else if (cache.GaveUpOn(XdsResourceType.Routes, name, now, initialFetchTimeoutMs))
                {
                    routes = XdsTree.With(new ConfigTable(SourcePosition.None), "name", XdsTree.String(name));
                }
                else
                {
                    ready = false;
                    return filter;
                }

                return XdsTree.With(filter, "typed_config", XdsTree.With(manager, "route_config", routes, "rds"));
            }).ToList();
            return XdsTree.With(chain, "filters", XdsTree.ArrayOf(filters));
        }

        var copy = listener;
        if (XdsTree.Get(listener, "filter_chains") is ConfigArray chains)
        {
            copy = XdsTree.With(copy, "filter_chains", XdsTree.ArrayOf(chains.Items.OfType<ConfigTable>().Select(Chain).ToList()));
        }

        if (XdsTree.Table(listener, "default_filter_chain") is { } fallback)
        {
            copy = XdsTree.With(copy, "default_filter_chain", Chain(fallback));
        }

        return ready ? copy : null;
    }

    private static IEnumerable<ConfigTable> Managers(ConfigTable listener)
    {
        var chains = XdsTree.Tables(listener, "filter_chains").ToList();
        if (XdsTree.Table(listener, "default_filter_chain") is { } fallback)
        {
            chains.Add(fallback);
        }

        foreach (var chain in chains)
        {
            foreach (var filter in XdsTree.Tables(chain, "filters"))
            {
                if (XdsTree.Table(filter, "typed_config") is { } typed && XdsTree.Text(typed, "@type")?.EndsWith(".HttpConnectionManager", StringComparison.Ordinal) == true)
                {
                    yield return typed;
                }
            }
        }
    }

    private static void CollectWeighted(ConfigNode node, HashSet<string> into)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (node is ConfigTable table)
        {
            Walk(table);
        }

        into.UnionWith(found);

        void Walk(ConfigNode current)
        {
            switch (current)
            {
                case ConfigTable t:
                    foreach (var entry in t.Entries)
                    {
                        if (entry.Key == "weighted_clusters" && entry.Value is ConfigTable weighted)
                        {
                            foreach (var c in XdsTree.Tables(weighted, "clusters"))
                            {
                                if (XdsTree.Text(c, "name") is { } name)
                                {
                                    found.Add(name);
                                }
                            }
                        }
                        else
                        {
                            Walk(entry.Value);
                        }
                    }

                    break;
                case ConfigArray a:
                    foreach (var item in a.Items)
                    {
                        Walk(item);
                    }

                    break;
            }
        }
    }
}
