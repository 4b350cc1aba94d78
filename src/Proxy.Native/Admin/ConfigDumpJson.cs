using System.Text.Json;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Admin;

/// <summary>
/// /config_dump: the configuration in effect, with every default filled in, in the same key names
/// the config file uses (durations in seconds), so what an operator reads can be pasted back.
/// </summary>
internal static class ConfigDumpJson
{
    private static readonly TcpProxyConfig NoTcpProxy = new("", TimeSpan.Zero, 1);

    public static byte[] Write(ProxyConfig config, Hosting.LiveConfigStatus? live = null) => JsonDocumentWriter.Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("source", config.Source);
        if (live is not null)
        {
            LiveConfigJson.Write(json, live);
        }

        json.WriteStartObject("runtime");
        json.WriteNumber("workers", config.Runtime.Workers);
        json.WriteString("log_level", config.Runtime.LogLevel.ToString().ToLowerInvariant());
        json.WriteNumber("drain_timeout_s", config.Runtime.DrainTimeout.TotalSeconds);
        json.WriteString("uds_dir", config.Runtime.UdsDir);
        json.WriteNumber("busy_poll_s", config.Runtime.BusyPoll.TotalSeconds);
        json.WriteNumber("idle_trim_after_s", config.Runtime.IdleTrimAfter.TotalSeconds);
        json.WriteString("priority", Hosting.ProcessPriority.Name(config.Runtime.Priority));
        // null when none is configured: /stats memory says what was derived.
        JsonDocumentWriter.WriteNumberOrNull(json, "memory_budget_bytes", config.Runtime.MemoryBudget);
        StandbyConfigJson.WriteRuntimeKeys(json, config.Runtime);
        json.WriteEndObject();
        StandbyConfigJson.WriteStandby(json, config.Standby);
        if (config.Admin is { } admin)
        {
            json.WriteStartObject("admin");
            json.WriteString("address", admin.Address.ToString());
            json.WriteEndObject();
        }

        json.WriteStartArray("listeners");
        foreach (var listener in config.Listeners)
        {
            WriteListener(json, listener);
        }

        json.WriteEndArray();
        json.WriteStartArray("clusters");
        foreach (var cluster in config.Clusters)
        {
            WriteCluster(json, cluster);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary>A listener's dump without its routes: what a live change compares to tell a listener change.</summary>
    public static byte[] ListenerSettings(ListenerConfig listener) =>
        JsonDocumentWriter.Write(json => WriteListener(json, listener with { Http = null, RpcProxy = null }));

    /// <summary>A listener's HTTP and RPC sections (routes and their settings): what a live change compares to tell a route change.</summary>
    public static byte[] ListenerRoutes(ListenerConfig listener) =>
        JsonDocumentWriter.Write(json => WriteListener(json, listener with { Protocol = ListenerProtocol.Auto, TcpProxy = NoTcpProxy, Name = "", MaxConnections = 0, BufferLimitBytes = 0, DetectionTimeout = default }));

    private static void WriteListener(Utf8JsonWriter json, ListenerConfig listener)
    {
        json.WriteStartObject();
        json.WriteString("name", listener.Name);
        json.WriteString("address", listener.Address.ToString());
        json.WriteString("protocol", listener.Protocol.ToString().ToLowerInvariant());
        json.WriteNumber("max_connections", listener.MaxConnections);
        json.WriteNumber("buffer_limit", listener.BufferLimitBytes);
        if (listener.Protocol == ListenerProtocol.Auto)
        {
            json.WriteNumber("detection_timeout_s", listener.DetectionTimeout.TotalSeconds);
        }

        var auto = listener.Protocol == ListenerProtocol.Auto;
        if (listener.Protocol == ListenerProtocol.Tcp || (auto && listener.TcpProxy.IsConfigured))
        {
            WriteTcpProxy(json, listener.TcpProxy);
        }

        if (listener.Http is { } http && (auto || listener.Protocol == ListenerProtocol.Http))
        {
            HttpConfigDumpJson.Write(json, http);
        }

        if (listener.RpcProxy is { } rpc && (auto || listener.Protocol == ListenerProtocol.Bolt))
        {
            json.WriteStartObject("rpc_proxy");
            json.WriteNumber("timeout_s", rpc.Timeout.TotalSeconds);
            json.WriteNumber("connections_per_host", rpc.ConnectionsPerHost);
            json.WriteString("connection_affinity", rpc.ConnectionAffinity == RpcConnectionAffinity.Client ? "client" : "none");
            json.WriteString("flush", rpc.Flush == RpcFlush.Read ? "read" : "turn");
            if (rpc.Cluster is { } fallback)
            {
                json.WriteString("cluster", fallback);
            }

            json.WriteStartArray("routes");
            foreach (var route in rpc.Routes)
            {
                json.WriteStartObject();
                WriteIfSet(json, "service", route.Match.Service);
                WriteIfSet(json, "service_prefix", route.Match.ServicePrefix);
                WriteIfSet(json, "service_regex", route.Match.ServiceRegex);
                WriteIfSet(json, "method", route.Match.Method);
                json.WriteString("cluster", route.Cluster);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (rpc.AccessLog is { } log)
            {
                json.WriteStartObject("access_log");
                json.WriteString("path", log.Path);
                json.WriteString("format", log.Format);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteTcpProxy(Utf8JsonWriter json, TcpProxyConfig tcp)
    {
        json.WriteStartObject("tcp_proxy");
        json.WriteString("cluster", tcp.Cluster);
        json.WriteNumber("idle_timeout_s", tcp.IdleTimeout.TotalSeconds);
        json.WriteNumber("max_connect_attempts", tcp.MaxConnectAttempts);
        if (!tcp.SniRoutes.IsEmpty)
        {
            json.WriteNumber("inspect_timeout_s", tcp.InspectTimeout.TotalSeconds);
            json.WriteNumber("max_client_hello_size", tcp.MaxClientHelloBytes);
            json.WriteStartArray("sni_routes");
            foreach (var route in tcp.SniRoutes)
            {
                json.WriteStartObject();
                json.WriteStartArray("server_names");
                foreach (var name in route.ServerNames)
                {
                    json.WriteStringValue(name);
                }

                json.WriteEndArray();
                json.WriteString("cluster", route.Cluster);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteCluster(Utf8JsonWriter json, ClusterConfig cluster)
    {
        json.WriteStartObject();
        json.WriteString("name", cluster.Name);
        json.WriteString("type", SnakeCase.Of(cluster.Type.ToString()));
        json.WriteString("lb_policy", SnakeCase.Of(cluster.LbPolicy.ToString()));
        json.WriteNumber("connect_timeout_s", cluster.ConnectTimeout.TotalSeconds);
        json.WriteStartArray("hosts");
        foreach (var host in cluster.Hosts)
        {
            json.WriteStartObject();
            json.WriteString("address", host.Hostname is { } name ? $"{name}:{host.Address.Port}" : host.Address.ToString());
            json.WriteNumber("weight", host.Weight);
            json.WriteNumber("priority", host.Priority);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (cluster.Type == ClusterType.StrictDns)
        {
            json.WriteNumber("dns_refresh_rate_s", cluster.DnsRefreshRate.TotalSeconds);
            json.WriteString("dns_lookup_family", SnakeCase.Of(cluster.DnsLookupFamily.ToString()));
        }

        json.WriteStartObject("circuit_breakers");
        json.WriteNumber("max_connections", cluster.CircuitBreakers.MaxConnections);
        json.WriteNumber("max_pending_requests", cluster.CircuitBreakers.MaxPendingRequests);
        json.WriteNumber("max_requests", cluster.CircuitBreakers.MaxRequests);
        json.WriteNumber("max_retries", cluster.CircuitBreakers.MaxRetries);
        json.WriteEndObject();
        json.WriteStartObject("connection_pool");
        json.WriteNumber("idle_timeout_s", cluster.ConnectionPool.IdleTimeout.TotalSeconds);
        json.WriteNumber("max_idle_per_host", cluster.ConnectionPool.MaxIdlePerHost);
        json.WriteNumber("max_requests_per_connection", cluster.ConnectionPool.MaxRequestsPerConnection);
        json.WriteEndObject();
        json.WriteString("protocol", cluster.Protocol == UpstreamProtocol.Http2 ? "h2" : "http1");
        if (cluster.Protocol == UpstreamProtocol.Http2)
        {
            json.WriteStartObject("http2");
            json.WriteNumber("max_concurrent_streams", cluster.Http2.MaxConcurrentStreams);
            json.WriteNumber("initial_stream_window_size", cluster.Http2.InitialStreamWindowSize);
            json.WriteNumber("initial_connection_window_size", cluster.Http2.InitialConnectionWindowSize);
            json.WriteNumber("keepalive_interval_s", cluster.Http2.KeepaliveInterval.TotalSeconds);
            json.WriteNumber("keepalive_timeout_s", cluster.Http2.KeepaliveTimeout.TotalSeconds);
            json.WriteEndObject();
        }
        if (cluster.HealthCheck is { } check)
        {
            json.WriteStartObject("health_check");
            json.WriteNumber("interval_s", check.Interval.TotalSeconds);
            json.WriteNumber("timeout_s", check.Timeout.TotalSeconds);
            json.WriteNumber("unhealthy_threshold", check.UnhealthyThreshold);
            json.WriteNumber("healthy_threshold", check.HealthyThreshold);
            json.WriteString("type", SnakeCase.Of(check.Type.ToString()));
            json.WriteBoolean("no_traffic_until_healthy", check.NoTrafficUntilHealthy);
            json.WriteEndObject();
        }

        if (cluster.OutlierDetection is { } outliers)
        {
            json.WriteStartObject("outlier_detection");
            json.WriteNumber("consecutive_5xx", outliers.Consecutive5xx);
            json.WriteNumber("consecutive_gateway_failure", outliers.ConsecutiveGatewayFailure);
            json.WriteNumber("base_ejection_time_s", outliers.BaseEjectionTime.TotalSeconds);
            json.WriteNumber("max_ejection_time_s", outliers.MaxEjectionTime.TotalSeconds);
            json.WriteNumber("max_ejection_percent", outliers.MaxEjectionPercent);
            json.WriteNumber("interval_s", outliers.Interval.TotalSeconds);
            json.WriteNumber("success_rate_minimum_hosts", outliers.SuccessRateMinimumHosts);
            json.WriteNumber("success_rate_request_volume", outliers.SuccessRateRequestVolume);
            json.WriteNumber("success_rate_stdev_factor", outliers.SuccessRateStdevFactor);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    internal static void WriteIfSet(Utf8JsonWriter json, string key, string? value)
    {
        if (value is not null)
        {
            json.WriteString(key, value);
        }
    }
}
