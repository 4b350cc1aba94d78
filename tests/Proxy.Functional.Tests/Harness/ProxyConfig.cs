using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// A meshedge config built in code and rendered as TOML or as JSON of the same shape. Tests start from
/// <see cref="ForTcpProxy"/> and adjust the few settings they are about.
/// </summary>
internal sealed class ProxyConfig
{
    public int Workers { get; set; } = 2;

    public string LogLevel { get; set; } = "info";

    /// <summary>Short by default so a test that leaves a connection open costs seconds, not the 30s default.</summary>
    public string DrainTimeout { get; set; } = "10s";

    /// <summary>runtime.uds_dir; tests that upgrade set a private one so they can run in parallel.</summary>
    public string? UdsDir { get; set; }

    /// <summary>runtime.busy_poll, e.g. "50us"; unset leaves the default (off).</summary>
    public string? BusyPoll { get; set; }

    /// <summary>runtime.priority, "low" or "normal"; unset leaves the default (normal).</summary>
    public string? Priority { get; set; }

    /// <summary>The [admin] listener's address, e.g. "127.0.0.1:0"; unset: no admin API.</summary>
    public string? AdminAddress { get; set; }

    public List<ListenerSpec> Listeners { get; } = [];

    public List<ClusterSpec> Clusters { get; } = [];

    /// <summary>The first listener: most tests have exactly one.</summary>
    public ListenerSpec Listener => Listeners[0];

    /// <summary>The first cluster: most tests have exactly one.</summary>
    public ClusterSpec Cluster => Clusters[0];

    /// <summary>Listener "inbound" on an ephemeral port proxying to cluster "app" with the given hosts.</summary>
    public static ProxyConfig ForTcpProxy(params IPEndPoint[] hosts)
    {
        var config = new ProxyConfig();
        config.Listeners.Add(new ListenerSpec { Name = "inbound", Cluster = "app" });
        var cluster = new ClusterSpec { Name = "app" };
        cluster.Hosts.AddRange(hosts.Select(host => host.ToString()));
        config.Clusters.Add(cluster);
        return config;
    }

    /// <summary>
    /// Listener "inbound" with <c>protocol = "bolt"</c> and the given <c>[listeners.rpc_proxy]</c> body, and
    /// one cluster per entry of <paramref name="clusters"/>.
    /// </summary>
    public static ProxyConfig ForBolt(string rpcProxy, params (string Name, IPEndPoint[] Hosts)[] clusters)
    {
        var config = new ProxyConfig();
        config.Listeners.Add(new ListenerSpec { Name = "inbound", Cluster = "", RpcProxy = rpcProxy });
        foreach (var (name, hosts) in clusters)
        {
            var cluster = new ClusterSpec { Name = name };
            cluster.Hosts.AddRange(hosts.Select(host => host.ToString()));
            config.Clusters.Add(cluster);
        }

        return config;
    }

    public string ToToml()
    {
        var toml = new StringBuilder();
        toml.AppendLine("[runtime]");
        toml.AppendLine(Invariant($"workers = {Workers}"));
        toml.AppendLine($"log_level = {Quote(LogLevel)}");
        toml.AppendLine($"drain_timeout = {Quote(DrainTimeout)}");
        AppendIfSet(toml, "uds_dir", UdsDir);
        AppendIfSet(toml, "busy_poll", BusyPoll);
        AppendIfSet(toml, "priority", Priority);
        if (AdminAddress is not null)
        {
            toml.AppendLine().AppendLine("[admin]");
            toml.AppendLine($"address = {Quote(AdminAddress)}");
        }

        foreach (var listener in Listeners)
        {
            toml.AppendLine().AppendLine("[[listeners]]");
            toml.AppendLine($"name = {Quote(listener.Name)}");
            toml.AppendLine($"address = {Quote(listener.Address)}");
            AppendIfSet(toml, "max_connections", listener.MaxConnections);
            AppendIfSet(toml, "buffer_limit", listener.BufferLimit);
            if (listener.RpcProxy is { } rpcProxy)
            {
                toml.AppendLine("protocol = \"bolt\"");
                toml.AppendLine("[listeners.rpc_proxy]");
                toml.AppendLine(rpcProxy);
                continue;
            }

            if (listener.Http is { } http)
            {
                toml.AppendLine("protocol = \"http\"");
                toml.AppendLine("[listeners.http]");
                toml.AppendLine(http);
                continue;
            }

            toml.AppendLine("[listeners.tcp_proxy]");
            toml.AppendLine($"cluster = {Quote(listener.Cluster)}");
            AppendIfSet(toml, "idle_timeout", listener.IdleTimeout);
            AppendIfSet(toml, "max_connect_attempts", listener.MaxConnectAttempts);
        }

        foreach (var cluster in Clusters)
        {
            toml.AppendLine().AppendLine("[[clusters]]");
            toml.AppendLine($"name = {Quote(cluster.Name)}");
            AppendIfSet(toml, "connect_timeout", cluster.ConnectTimeout);
            AppendIfSet(toml, "lb_policy", cluster.LbPolicy);
            toml.AppendLine($"hosts = [{string.Join(", ", cluster.Hosts.Select(Quote))}]");
            var breakers = new[] { cluster.MaxConnections is { } max ? Invariant($"max_connections = {max}") : null, cluster.CircuitBreakers }
                .Where(entry => entry is not null);
            if (breakers.Any())
            {
                toml.AppendLine($"circuit_breakers = {{ {string.Join(", ", breakers)} }}");
            }

            if (cluster.HealthCheckInterval is { } interval)
            {
                toml.AppendLine($"health_check = {{ type = \"tcp\", interval = {Quote(interval)}, timeout = \"500ms\", unhealthy_threshold = 1 }}");
            }
        }

        return toml.ToString();
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("runtime");
            json.WriteNumber("workers", Workers);
            json.WriteString("log_level", LogLevel);
            json.WriteString("drain_timeout", DrainTimeout);
            if (UdsDir is not null)
            {
                json.WriteString("uds_dir", UdsDir);
            }

            if (BusyPoll is not null)
            {
                json.WriteString("busy_poll", BusyPoll);
            }

            if (Priority is not null)
            {
                json.WriteString("priority", Priority);
            }

            json.WriteEndObject();
            if (AdminAddress is not null)
            {
                json.WriteStartObject("admin");
                json.WriteString("address", AdminAddress);
                json.WriteEndObject();
            }

            json.WriteStartArray("listeners");
            foreach (var listener in Listeners)
            {
                WriteListener(json, listener);
            }

            json.WriteEndArray();
            json.WriteStartArray("clusters");
            foreach (var cluster in Clusters)
            {
                WriteCluster(json, cluster);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteListener(Utf8JsonWriter json, ListenerSpec listener)
    {
        json.WriteStartObject();
        json.WriteString("name", listener.Name);
        json.WriteString("address", listener.Address);
        if (listener.MaxConnections is { } maxConnections)
        {
            json.WriteNumber("max_connections", maxConnections);
        }

        if (listener.BufferLimit is { } bufferLimit)
        {
            json.WriteString("buffer_limit", bufferLimit);
        }

        json.WriteStartObject("tcp_proxy");
        json.WriteString("cluster", listener.Cluster);
        if (listener.IdleTimeout is { } idleTimeout)
        {
            json.WriteString("idle_timeout", idleTimeout);
        }

        if (listener.MaxConnectAttempts is { } attempts)
        {
            json.WriteNumber("max_connect_attempts", attempts);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteCluster(Utf8JsonWriter json, ClusterSpec cluster)
    {
        json.WriteStartObject();
        json.WriteString("name", cluster.Name);
        if (cluster.ConnectTimeout is { } connectTimeout)
        {
            json.WriteString("connect_timeout", connectTimeout);
        }

        if (cluster.LbPolicy is { } policy)
        {
            json.WriteString("lb_policy", policy);
        }

        json.WriteStartArray("hosts");
        foreach (var host in cluster.Hosts)
        {
            json.WriteStringValue(host);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void AppendIfSet(StringBuilder toml, string key, int? value)
    {
        if (value is { } set)
        {
            toml.AppendLine(Invariant($"{key} = {set}"));
        }
    }

    private static void AppendIfSet(StringBuilder toml, string key, string? value)
    {
        if (value is not null)
        {
            toml.AppendLine($"{key} = {Quote(value)}");
        }
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
