using System.Collections.Immutable;
using MeshEdge.Config.Envoy;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Xds;

/// <summary>
/// Each dynamic cluster's last translation (its <see cref="ClusterConfig"/>, or null when the
/// translator left it out), with the two resources it came from: the cluster and its
/// ClusterLoadAssignment. While both are the same objects in the cache, the translation stands, so
/// a push of listeners or routes, or of one cluster, translates no other cluster again.
/// </summary>
internal sealed class XdsClusterTranslations
{
    private readonly Dictionary<string, Entry> _byName = new(StringComparer.Ordinal);

    public int Count => _byName.Count;

    /// <summary>Whether the translation of this pair is known; <paramref name="config"/> is null when the cluster is left out.</summary>
    public bool TryFind(XdsResource cluster, XdsResource? endpoints, out ClusterConfig? config)
    {
        if (_byName.TryGetValue(cluster.Name, out var entry) && ReferenceEquals(entry.Cluster, cluster) && ReferenceEquals(entry.Endpoints, endpoints))
        {
            config = entry.Config;
            return true;
        }

        config = null;
        return false;
    }

    /// <summary>
    /// Keeps the translation of the pair put together from what each resource bound to alone (the
    /// cluster's config with the assignment's hosts), as a load of the pair would give it; false when
    /// either has nothing bound alone (the pair is then translated in a load).
    /// </summary>
    public bool Compose(XdsResource cluster, XdsResource? endpoints)
    {
        if (cluster.Alone is not { } alone || (endpoints is not null && endpoints.Alone is null))
        {
            return false;
        }

        // An EDS cluster's hosts are its assignment's (none while served empty), whatever it carried itself.
        var config = alone.Cluster is null || cluster.EndpointName is null
            ? alone.Cluster
            : alone.Cluster with { Hosts = endpoints?.Alone!.Hosts ?? [] };
        _byName[cluster.Name] = new Entry(cluster, endpoints, config);
        return true;
    }

    /// <summary>Whether a translation of this very cluster resource is kept (whatever its endpoints).</summary>
    public bool Has(XdsResource cluster) => _byName.TryGetValue(cluster.Name, out var entry) && ReferenceEquals(entry.Cluster, cluster);

    /// <summary>Keeps the translations of <paramref name="translated"/> from the clusters of one load (matched by their translated names).</summary>
    public void Add(IEnumerable<(XdsResource Cluster, XdsResource? Endpoints)> translated, ImmutableArray<ClusterConfig> configs)
    {
        var byName = new Dictionary<string, ClusterConfig>(configs.Length, StringComparer.Ordinal);
        foreach (var config in configs)
        {
            byName.TryAdd(config.Name, config);
        }

        foreach (var (cluster, endpoints) in translated)
        {
            _byName[cluster.Name] = new Entry(cluster, endpoints, byName.GetValueOrDefault(EnvoyNames.Safe(cluster.Name)));
        }
    }

    /// <summary>Forgets one cluster's translation (a secret it names has changed): it is translated again.</summary>
    public void Forget(string name) => _byName.Remove(name);

    /// <summary>Forgets clusters no longer in <paramref name="names"/>.</summary>
    public void KeepOnly(HashSet<string> names)
    {
        if (_byName.Count <= names.Count && _byName.Keys.All(names.Contains))
        {
            return;
        }

        foreach (var name in _byName.Keys.Where(n => !names.Contains(n)).ToList())
        {
            _byName.Remove(name);
        }
    }

    private sealed record Entry(XdsResource Cluster, XdsResource? Endpoints, ClusterConfig? Config);
}
