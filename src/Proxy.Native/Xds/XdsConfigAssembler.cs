using System.Collections.Immutable;
using MeshEdge.Config;
using MeshEdge.Config.Binding;
using MeshEdge.Config.Envoy;
using MeshEdge.Config.Model;
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
    private readonly XdsClusterTranslations _translations = new();
    private readonly XdsSecretWarming _secrets = new();

    /// <summary>
    /// The whole config, translating only what changed: each dynamic cluster's translation is kept
    /// while its cluster and endpoint resources stay (<see cref="XdsClusterTranslations"/>); the
    /// clusters without one are translated in one batch, and the listeners with the static clusters
    /// and the clusters they route to, so their references are checked; the config is then the
    /// listeners' with every cluster's kept translation. Whenever a part fails, the whole config goes
    /// through the translator in one piece (<see cref="AssembleWhole"/>), whose errors name the
    /// resources as the control plane sent them.
    /// </summary>
    public ConfigLoadResult Assemble(XdsCache cache, long now)
    {
        _secrets.ForgetChanged(cache, _translations);
        var (staticListeners, staticClusters) = Statics();
        var listeners = new List<ConfigNode>(staticListeners);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listener in cache.Of(XdsResourceType.Listeners).Values.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            if (_secrets.Arrived(listener, cache, now, initialFetchTimeoutMs) && WithRoutes(listener.Tree, cache, now) is { } ready)
            {
                listeners.Add(ready);
                XdsTree.CollectValues(ready, "cluster", referenced);
                CollectWeighted(ready, referenced);
            }
        }

        var clusters = ReadyClusters(cache, referenced, now);
        var missing = clusters.Where(c => !_translations.TryFind(c.Cluster, c.Endpoints, out _) && !_translations.Compose(c.Cluster, c.Endpoints)).ToList();
        if (missing.Count > 0 && Translate(staticClusters, missing, cache, now) is null)
        {
            return AssembleWhole(cache, now);
        }

        var routed = new List<ConfigNode>(staticClusters);
        routed.AddRange(clusters.Where(c => referenced.Contains(c.Cluster.Name)).Select(c => (ConfigNode)WithEndpoints(c.Cluster.Tree, cache, now)!));
        var part = Load(listeners, routed, cache);
        if (!part.Succeeded)
        {
            return AssembleWhole(cache, now);
        }

        var staticNames = staticClusters.OfType<ConfigTable>().Select(c => EnvoyNames.Safe(XdsTree.Text(c, "name") ?? "")).ToHashSet(StringComparer.Ordinal);
        var all = ImmutableArray.CreateBuilder<ClusterConfig>(staticNames.Count + clusters.Count);
        all.AddRange(part.Config!.Clusters.Where(c => staticNames.Contains(c.Name)));
        var names = new HashSet<string>(all.Select(c => c.Name), StringComparer.Ordinal);
        foreach (var (cluster, endpoints) in clusters)
        {
            _translations.TryFind(cluster, endpoints, out var config);
            if (config is not null && !names.Add(config.Name))
            {
                // Two clusters under one name: the whole translation says which, by key path.
                return AssembleWhole(cache, now);
            }

            if (config is not null)
            {
                all.Add(config);
            }
        }

        _translations.KeepOnly(clusters.Select(c => c.Cluster.Name).ToHashSet(StringComparer.Ordinal));
        return ConfigLoadResult.Success(part.Config with { Clusters = all.ToImmutable() });
    }

    /// <summary>Whether <paramref name="cluster"/> (the very resource) has a kept translation.</summary>
    public bool IsTranslated(XdsResource cluster) => _translations.Has(cluster);

    /// <summary>The old way, and the reference for errors: the whole config through the translator and binder at once.</summary>
    public ConfigLoadResult AssembleWhole(XdsCache cache, long now)
    {
        var (listeners, clusters) = Statics();
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listener in cache.Of(XdsResourceType.Listeners).Values.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            if (_secrets.Arrived(listener, cache, now, initialFetchTimeoutMs) && WithRoutes(listener.Tree, cache, now) is { } ready)
            {
                listeners.Add(ready);
                XdsTree.CollectValues(ready, "cluster", referenced);
                CollectWeighted(ready, referenced);
            }
        }

        foreach (var (cluster, _) in ReadyClusters(cache, referenced, now))
        {
            clusters.Add(WithEndpoints(cluster.Tree, cache, now)!);
        }

        return Load(listeners, clusters, cache);
    }

    /// <summary>
    /// The translations of <paramref name="clusters"/> (by resource name; null for one the translator
    /// leaves out), from one load beside the bootstrap's static part, kept for later assemblies. Null
    /// when one of them is warming or the load fails (the whole path then reports why).
    /// </summary>
    public Dictionary<string, ClusterConfig?>? TranslateClusters(XdsCache cache, IReadOnlyList<XdsResource> clusters, long now)
    {
        var pairs = new List<(XdsResource Cluster, XdsResource? Endpoints)>(clusters.Count);
        foreach (var cluster in clusters)
        {
            if (!Ready(cluster, cache, now, out var endpoints))
            {
                return null;
            }

            pairs.Add((cluster, endpoints));
        }

        var toLoad = pairs.Where(p => !_translations.Compose(p.Cluster, p.Endpoints)).ToList();
        if (toLoad.Count > 0 && Translate(Statics().Clusters, toLoad, cache, now) is null)
        {
            return null;
        }

        var result = new Dictionary<string, ClusterConfig?>(StringComparer.Ordinal);
        foreach (var (cluster, endpoints) in pairs)
        {
            _translations.TryFind(cluster, endpoints, out var config);
            result[cluster.Name] = config;
        }

        return result;
    }

    /// <summary>The clusters that take part, in the config's order: the current ones by name, then removed ones that something still routes to.</summary>
    private List<(XdsResource Cluster, XdsResource? Endpoints)> ReadyClusters(XdsCache cache, HashSet<string> referenced, long now)
    {
        var current = cache.Of(XdsResourceType.Clusters);
        var ready = new List<(XdsResource, XdsResource?)>(current.Count);
        foreach (var cluster in current.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            if (Ready(cluster, cache, now, out var endpoints))
            {
                ready.Add((cluster, endpoints));
            }
        }

        foreach (var (name, retired) in cache.Retired.ToList())
        {
            if (referenced.Contains(name) && !current.ContainsKey(name) && Ready(retired, cache, now, out var endpoints))
            {
                ready.Add((retired, endpoints));
            }
            else
            {
                cache.Retired.Remove(name);
            }
        }

        return ready;
    }

    /// <summary>Whether a cluster may join (not warming); <paramref name="endpoints"/> is its ClusterLoadAssignment, null when it has none (not EDS, or served empty).</summary>
    private bool Ready(XdsResource cluster, XdsCache cache, long now, out XdsResource? endpoints)
    {
        endpoints = null;
        if (!_secrets.Arrived(cluster, cache, now, initialFetchTimeoutMs))
        {
            return false;
        }

        if (cluster.EndpointName is not { } name)
        {
            return true;
        }

        return cache.Of(XdsResourceType.Endpoints).TryGetValue(name, out endpoints)
            || cache.GaveUpOn(XdsResourceType.Endpoints, name, now, initialFetchTimeoutMs);
    }

    /// <summary>Translates <paramref name="pairs"/> in one load and keeps what came out; null when the load failed.</summary>
    private ConfigLoadResult? Translate(List<ConfigNode> staticClusters, List<(XdsResource Cluster, XdsResource? Endpoints)> pairs, XdsCache cache, long now)
    {
        var trees = new List<ConfigNode>(staticClusters);
        trees.AddRange(pairs.Select(p => (ConfigNode)WithEndpoints(p.Cluster.Tree, cache, now)!));
        var loaded = Load([], trees, cache);
        if (!loaded.Succeeded)
        {
            return null;
        }

        _translations.Add(pairs, loaded.Config!.Clusters);
        return loaded;
    }

    private (List<ConfigNode> Listeners, List<ConfigNode> Clusters) Statics()
    {
        var statics = XdsTree.Table(bootstrap, "static_resources");
        return statics is null ? ([], []) : ([.. XdsTree.Tables(statics, "listeners")], [.. XdsTree.Tables(statics, "clusters")]);
    }

    private ConfigLoadResult Load(List<ConfigNode> listeners, List<ConfigNode> clusters, XdsCache cache)
    {
        var resources = new ConfigTable(SourcePosition.None);
        resources.TryAdd("listeners", XdsTree.ArrayOf(listeners), SourcePosition.None);
        resources.TryAdd("clusters", XdsTree.ArrayOf(clusters), SourcePosition.None);
        resources.TryAdd("secrets", XdsTree.ArrayOf(XdsSecretWarming.Trees(bootstrap, cache)), SourcePosition.None);
        return ForeignConfigLoader.Load(XdsTree.With(bootstrap, "static_resources", resources), ConfigFormat.EnvoyBootstrap, new ConfigErrorList(source));
    }

    /// <summary>The names of the ClusterLoadAssignments the clusters wait for.</summary>
    public static IEnumerable<string> EndpointNames(IEnumerable<XdsResource> clusters)
    {
        foreach (var cluster in clusters)
        {
            if (cluster.EndpointName is { } name)
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

    /// <summary>The ClusterLoadAssignment an EDS cluster's tree names (its service_name, else its name); null for other clusters.</summary>
    public static string? EdsName(ConfigTable cluster)
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
