using System.Collections.Immutable;
using System.Text.RegularExpressions;
using MeshEdge.Config.AccessLog;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>
/// Binds a listener's <c>[listeners.rpc_proxy]</c> table: the routes (MOSN/Envoy-like: a match on
/// the service, method or any header, and a cluster), a fallback cluster, the default timeout,
/// the upstream pool's size and how calls spread over it, when outputs are written, and the access log.
/// </summary>
internal static class RpcProxyBinder
{
    public const string Key = "rpc_proxy";

    /// <summary>SOFARPC's own default invoke timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    public const int DefaultMaxFrameSize = 16 * 1024 * 1024;

    /// <summary>As sofa-rpc-node's client: a probe after 30 s without traffic (its server closes after 90 s).</summary>
    public static readonly TimeSpan DefaultUpstreamHeartbeatInterval = TimeSpan.FromSeconds(30);

    public const int MaxConnectionsPerHost = 64;

    /// <summary>
    /// Up to 4 upstream connections per host and worker, one per client connection (by client affinity):
    /// a relay's pairing for the one or two connections a sidecar's application opens, where a connection
    /// per client carried 1.16x the calls of one shared connection at 2x64 (bench/README.md), and a cap for the
    /// rest, since every host of a cluster gets its own set.
    /// </summary>
    public const int DefaultConnectionsPerHost = 4;

    private static readonly (string Name, RpcFlush Value)[] Flushes = [("read", RpcFlush.Read), ("turn", RpcFlush.Turn)];

    private static readonly (string Name, RpcConnectionAffinity Value)[] Affinities =
        [("client", RpcConnectionAffinity.Client), ("none", RpcConnectionAffinity.None)];

    private static readonly TimeSpan RegexBindTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The table, or null when absent (an error if <paramref name="required"/>) or invalid.</summary>
    public static RpcProxyConfig? Bind(TableReader listener, bool required)
    {
        var node = listener.Find(Key);
        var path = listener.ChildPath(Key);
        if (node is null)
        {
            if (required)
            {
                listener.Errors.Add(path, listener.Table.Position, "missing required table (a \"bolt\" listener needs one)");
            }

            return null;
        }

        if (!NodeConverter.TryTable(node, path, listener.Errors, out var table))
        {
            return null;
        }

        var reader = new TableReader(table, path, listener.Errors);
        var routes = BindRoutes(reader);
        string? cluster = null;
        if (reader.Find("cluster") is not null)
        {
            cluster = reader.RequiredName("cluster") ?? "";
        }

        var timeout = reader.Duration("timeout", DefaultTimeout, allowZero: false);
        var attempts = reader.Int("max_connect_attempts", ConfigDefaults.MaxConnectAttempts, 1, ConfigDefaults.MaxConnectAttemptsLimit);
        var perHost = reader.Int("connections_per_host", DefaultConnectionsPerHost, 1, MaxConnectionsPerHost);
        var maxFrame = reader.ByteSize("max_frame_size", DefaultMaxFrameSize, 1024, ConfigDefaults.MaxBufferLimitBytes);
        var heartbeat = reader.Duration("upstream_heartbeat_interval", DefaultUpstreamHeartbeatInterval, allowZero: true);
        var flush = reader.Choice("flush", RpcFlush.Turn, "flush timing", Flushes);
        var affinity = reader.Choice("connection_affinity", RpcConnectionAffinity.Client, "connection affinity", Affinities);
        var accessLog = AccessLogBinder.BindOptional(reader, AccessLogDialect.Rpc);
        reader.ReportUnknownKeys();
        if (routes.IsEmpty && cluster is null)
        {
            listener.Errors.Add(path, table.Position, "needs at least one route or a fallback cluster");
        }

        return new RpcProxyConfig(routes, cluster, timeout, attempts, perHost, maxFrame, heartbeat)
        {
            AccessLog = accessLog,
            Flush = flush,
            ConnectionAffinity = affinity,
        };
    }

    private static ImmutableArray<RpcRouteConfig> BindRoutes(TableReader reader)
    {
        if (reader.OptionalArray("routes") is not { } array)
        {
            return [];
        }

        var routes = ImmutableArray.CreateBuilder<RpcRouteConfig>(array.Items.Count);
        for (var i = 0; i < array.Items.Count; i++)
        {
            var path = KeyPath.Index(reader.ChildPath("routes"), i);
            if (!NodeConverter.TryTable(array.Items[i], path, reader.Errors, out var table))
            {
                continue;
            }

            var route = new TableReader(table, path, reader.Errors);
            var match = BindMatch(route);
            var cluster = route.RequiredName("cluster") ?? "";
            TimeSpan? timeout = route.Find("timeout") is null ? null : route.Duration("timeout", DefaultTimeout, allowZero: false);
            route.ReportUnknownKeys();
            routes.Add(new RpcRouteConfig(match, cluster, timeout));
        }

        return routes.DrainToImmutable();
    }

    private static RpcRouteMatch BindMatch(TableReader route)
    {
        var any = new RpcRouteMatch(null, null, null, null, []);
        if (route.Find("match") is null)
        {
            return any;
        }

        if (route.OptionalTable("match") is not { } table)
        {
            return any;
        }

        var reader = new TableReader(table, route.ChildPath("match"), route.Errors);
        var service = OptionalString(reader, "service");
        var prefix = OptionalString(reader, "service_prefix");
        var regex = OptionalString(reader, "service_regex");
        var method = OptionalString(reader, "method");
        var headers = BindHeaders(reader);
        reader.ReportUnknownKeys();
        if ((service is null ? 0 : 1) + (prefix is null ? 0 : 1) + (regex is null ? 0 : 1) > 1)
        {
            reader.Errors.Add(reader.Path, table.Position, "set at most one of service, service_prefix and service_regex");
        }

        if (regex is not null && !IsValidRegex(regex, out var why))
        {
            reader.Errors.Add(reader.ChildPath("service_regex"), table.PositionOf("service_regex"), $"invalid regular expression: {why}");
        }

        return new RpcRouteMatch(service, prefix, regex, method, headers);
    }

    private static ImmutableArray<KeyValuePair<string, string>> BindHeaders(TableReader reader)
    {
        if (reader.OptionalTable("headers") is not { } table)
        {
            return [];
        }

        var headers = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>(table.Entries.Count);
        foreach (var entry in table.Entries)
        {
            var path = KeyPath.Child(reader.ChildPath("headers"), entry.Key);
            if (NodeConverter.TryString(entry.Value, path, reader.Errors, out var value))
            {
                headers.Add(new KeyValuePair<string, string>(entry.Key, value));
            }
        }

        return headers.DrainToImmutable();
    }

    private static string? OptionalString(TableReader reader, string key)
    {
        if (reader.Find(key) is not { } node || !NodeConverter.TryString(node, reader.ChildPath(key), reader.Errors, out var value))
        {
            return null;
        }

        if (value.Length == 0)
        {
            reader.Errors.Add(reader.ChildPath(key), node.Position, "must not be empty");
            return null;
        }

        return value;
    }

    private static bool IsValidRegex(string pattern, out string reason)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, RegexBindTimeout);
            reason = "";
            return true;
        }
        catch (ArgumentException ex)
        {
            reason = ex.Message;
            return false;
        }
    }

    /// <summary>Every route's cluster and the fallback cluster must name a defined cluster.</summary>
    public static void CheckClusterReferences(List<BoundItem<ListenerConfig>> listeners, HashSet<string> clusterNames, ConfigErrorList errors)
    {
        foreach (var listener in listeners)
        {
            if (listener.Config.RpcProxy is not { } rpc || !listener.Table.TryGet(Key, out var node) || node is not ConfigTable table)
            {
                continue;
            }

            var path = KeyPath.Child(KeyPath.Index("listeners", listener.Index), Key);
            var hint = clusterNames.Count == 0 ? " (no clusters are defined)" : "";
            if (rpc.Cluster is { Length: > 0 } fallback && !clusterNames.Contains(fallback))
            {
                errors.Add(KeyPath.Child(path, "cluster"), table.PositionOf("cluster"), $"unknown cluster {ConfigScalar.Quote(fallback)}{hint}");
            }

            var routeTables = table.TryGet("routes", out var routesNode) && routesNode is ConfigArray array ? array.Items : [];
            for (var i = 0; i < rpc.Routes.Length; i++)
            {
                var cluster = rpc.Routes[i].Cluster;
                if (cluster.Length == 0 || clusterNames.Contains(cluster))
                {
                    continue;
                }

                var position = i < routeTables.Count && routeTables[i] is ConfigTable routeTable ? routeTable.PositionOf("cluster") : table.Position;
                errors.Add(KeyPath.Child(KeyPath.Index(KeyPath.Child(path, "routes"), i), "cluster"), position,
                    $"unknown cluster {ConfigScalar.Quote(cluster)}{hint}");
            }
        }
    }
}
