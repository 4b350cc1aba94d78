using MeshEdge.Config.Envoy;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Translation;

/// <summary>
/// What Envoy's and MOSN's translators write alike (MOSN's config descends from Envoy's): a resource
/// left out, the head of a listener, cluster or virtual host entry, route parts whose loss would send
/// traffic elsewhere. Names go through <see cref="EnvoyNames.Safe"/> in both, so references still meet.
/// </summary>
internal static class TranslatedEntries
{
    public static void RefuseMissing(SourceTable source, string key) =>
        source.Context.Refuse(source.PathOf(key), source.Position, "missing required key");

    /// <summary>Reports <paramref name="source"/> as a <paramref name="type"/> left out and takes its
    /// keys, so none of them is reported again as unknown.</summary>
    public static void Skip(SourceTable source, string type)
    {
        source.Context.Resource(type, source.Path, skipped: true);
        source.TakeAll();
    }

    /// <summary>A served listener: its entry takes the name, the address, the buffer limit and the
    /// detached <paramref name="translated"/> (its filter chain's keys).</summary>
    public static void Listener(SourceTable listener, TargetArray listeners, string name, ConfigNode address, TargetTable translated)
    {
        var entry = Begin(listener, listeners, "listener", name);
        entry.Set("address", address, listener.PathOf("address"));
        entry.Copy("buffer_limit", listener, "per_connection_buffer_limit_bytes");
        entry.Adopt(translated);
        listener.Finish();
    }

    /// <summary>A served cluster's entry with its name and MeshEdge <paramref name="type"/>; the caller adds the rest.</summary>
    public static TargetTable Cluster(SourceTable cluster, TargetArray clusters, string name, string type)
    {
        var entry = Begin(cluster, clusters, "cluster", name);
        entry.Set("type", type, cluster.PositionOf("type"), cluster.PathOf("type"));
        return entry;
    }

    /// <summary>A virtual host built detached (added only when a route survives): its name (or
    /// vhostN), its domains and the empty <paramref name="routes"/> array fed from <paramref name="routesKey"/>.</summary>
    public static TargetTable VirtualHost(SourceTable host, TargetArray hosts, string routesKey, out TargetArray routes)
    {
        var target = TargetTable.Detached();
        target.Set("name", EnvoyNames.Safe(host.String("name") ?? $"vhost{hosts.Count}"), host.PositionOf("name"), host.PathOf("name"));
        target.Copy("domains", host, "domains");
        routes = target.Array("routes", host.PathOf(routesKey));
        return target;
    }

    /// <summary>Parts that would send or shape traffic differently if dropped: false (the route is
    /// left out) when any of <paramref name="keys"/> is present, each reported.</summary>
    public static bool LeaveOutRouteParts(SourceTable table, params string[] keys)
    {
        var usable = true;
        foreach (var key in keys)
        {
            if (table.Has(key))
            {
                table.Unsupported(key, "not supported; the route is left out");
                usable = false;
            }
        }

        return usable;
    }

    private static TargetTable Begin(SourceTable source, TargetArray entries, string type, string name)
    {
        source.Context.Resource(type, source.Path);
        var entry = entries.AddTable(source.Path, source.Position);
        entry.Set("name", EnvoyNames.Safe(name), source.PositionOf("name"), source.PathOf("name"));
        return entry;
    }
}
