using System.Collections.Immutable;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>Binds one <c>[[clusters]]</c> entry.</summary>
internal static class ClusterBinder
{
    private static readonly (string Name, ClusterType Value)[] Types =
        [("static", ClusterType.Static), ("strict_dns", ClusterType.StrictDns), ("eds", ClusterType.Eds)];

    private static readonly (string Name, DnsLookupFamily Value)[] LookupFamilies =
        [("v4_only", DnsLookupFamily.V4Only), ("v6_only", DnsLookupFamily.V6Only), ("all", DnsLookupFamily.All)];

    private static readonly (string Name, LoadBalancerPolicy Value)[] Policies =
        [
            ("round_robin", LoadBalancerPolicy.RoundRobin),
            ("least_request", LoadBalancerPolicy.LeastRequest),
            ("random", LoadBalancerPolicy.Random),
            ("ring_hash", LoadBalancerPolicy.RingHash),
            ("maglev", LoadBalancerPolicy.Maglev),
        ];

    private const int MaxWeight = 1000;

    /// <summary>Binds the table; invalid parts are recorded in <paramref name="errors"/> and replaced by
    /// inert placeholders (empty name) so cross-checks do not report follow-on errors.</summary>
    public static ClusterConfig Bind(ConfigTable table, string path, ConfigErrorList errors)
    {
        var reader = new TableReader(table, path, errors);
        var name = reader.RequiredName("name") ?? "";
        var type = reader.Choice("type", ClusterType.Static, "cluster type", Types);
        var policy = reader.Choice("lb_policy", LoadBalancerPolicy.RoundRobin, "load balancer policy", Policies);
        var connectTimeout = reader.Duration("connect_timeout", ConfigDefaults.ClusterConnectTimeout, allowZero: false);
        var hosts = HostBinder.Bind(reader, type);
        var edsPath = reader.OptionalString("eds_path");
        if (edsPath is not null && type != ClusterType.Eds)
        {
            errors.Add(reader.ChildPath("eds_path"), table.PositionOf("eds_path"), "needs type = \"eds\"");
        }

        var dnsRefresh = reader.Duration("dns_refresh_rate", TimeSpan.FromSeconds(5), allowZero: false);
        var lookupFamily = reader.Choice("dns_lookup_family", DnsLookupFamily.V4Only, "DNS lookup family", LookupFamilies);
        if (type != ClusterType.StrictDns && (table.TryGet("dns_refresh_rate", out _) || table.TryGet("dns_lookup_family", out _)))
        {
            var key = table.TryGet("dns_refresh_rate", out _) ? "dns_refresh_rate" : "dns_lookup_family";
            errors.Add(reader.ChildPath(key), table.PositionOf(key), "needs type = \"strict_dns\"");
        }

        var breakers = BindCircuitBreakers(reader);
        var healthCheck = BindHealthCheck(reader);
        var pool = BindConnectionPool(reader);
        var outliers = BindOutlierDetection(reader);
        var tls = UpstreamTlsBinder.BindOptional(reader);
        reader.ReportUnknownKeys();
        return new ClusterConfig(name, type, policy, connectTimeout, hosts)
        {
            CircuitBreakers = breakers,
            HealthCheck = healthCheck,
            ConnectionPool = pool,
            OutlierDetection = outliers,
            DnsRefreshRate = dnsRefresh,
            DnsLookupFamily = lookupFamily,
            EdsPath = edsPath,
            Tls = tls,
        };
    }

    /// <summary>The optional <c>[clusters.outlier_detection]</c> table.</summary>
    private static OutlierDetectionConfig? BindOutlierDetection(TableReader reader)
    {
        if (reader.OptionalTableReader("outlier_detection") is not { } table)
        {
            return null;
        }

        var defaults = OutlierDetectionConfig.Default;
        var consecutive5xx = table.Int("consecutive_5xx", defaults.Consecutive5xx, 0, 1000);
        var consecutiveGateway = table.Int("consecutive_gateway_failure", defaults.ConsecutiveGatewayFailure, 0, 1000);
        var baseEjection = table.Duration("base_ejection_time", defaults.BaseEjectionTime, allowZero: false);
        var maxPercent = table.Int("max_ejection_percent", defaults.MaxEjectionPercent, 0, 100);
        var interval = table.Duration("interval", defaults.Interval, allowZero: false);
        var maxEjection = table.Duration("max_ejection_time", defaults.MaxEjectionTime, allowZero: false);
        var minimumHosts = table.Int("success_rate_minimum_hosts", defaults.SuccessRateMinimumHosts, 0, 10_000);
        var requestVolume = table.Int("success_rate_request_volume", defaults.SuccessRateRequestVolume, 1, 1_000_000);
        var stdevFactor = table.Int("success_rate_stdev_factor", defaults.SuccessRateStdevFactor, 1, 100_000);
        table.ReportUnknownKeys();
        return new OutlierDetectionConfig(consecutive5xx, consecutiveGateway, baseEjection, maxPercent, interval)
        {
            MaxEjectionTime = maxEjection,
            SuccessRateMinimumHosts = minimumHosts,
            SuccessRateRequestVolume = requestVolume,
            SuccessRateStdevFactor = stdevFactor,
        };
    }

    /// <summary>The optional <c>[clusters.connection_pool]</c> table (HTTP keep-alive reuse).</summary>
    private static ConnectionPoolConfig BindConnectionPool(TableReader reader)
    {
        if (reader.OptionalTableReader("connection_pool") is not { } pool)
        {
            return ConnectionPoolConfig.Default;
        }

        var defaults = ConnectionPoolConfig.Default;
        var idle = pool.Duration("idle_timeout", defaults.IdleTimeout, allowZero: false);
        var maxIdle = pool.Int("max_idle_per_host", defaults.MaxIdlePerHost, 0, 100_000);
        var maxRequests = pool.Int("max_requests_per_connection", defaults.MaxRequestsPerConnection, 0, int.MaxValue);
        pool.ReportUnknownKeys();
        return new ConnectionPoolConfig(idle, maxIdle, maxRequests);
    }

    /// <summary>The optional <c>[clusters.circuit_breakers]</c> table.</summary>
    private static CircuitBreakerConfig BindCircuitBreakers(TableReader reader)
    {
        if (reader.OptionalTable("circuit_breakers") is not { } table)
        {
            return CircuitBreakerConfig.Default;
        }

        var breakers = new TableReader(table, reader.ChildPath("circuit_breakers"), reader.Errors);
        var defaults = CircuitBreakerConfig.Default;
        var maxConnections = breakers.Int("max_connections", defaults.MaxConnections, 1, 1_000_000);
        var maxPending = breakers.Int("max_pending_requests", defaults.MaxPendingRequests, 1, 1_000_000);
        var maxRequests = breakers.Int("max_requests", defaults.MaxRequests, 1, 1_000_000);

        // 0 is allowed here (as in Envoy): it turns off retries of requests that reached a host,
        // whatever the routes say (a failed connect still moves on to the next host).
        var maxRetries = breakers.Int("max_retries", defaults.MaxRetries, 0, 1_000_000);
        breakers.ReportUnknownKeys();
        return new CircuitBreakerConfig(maxConnections, maxPending, maxRequests, maxRetries);
    }

    private static readonly (string Name, HealthCheckType Value)[] HealthCheckTypes =
        [("tcp", HealthCheckType.Tcp), ("http", HealthCheckType.Http), ("bolt", HealthCheckType.Bolt)];

    /// <summary>The optional <c>[clusters.health_check]</c> table.</summary>
    private static HealthCheckConfig? BindHealthCheck(TableReader reader)
    {
        if (reader.OptionalTable("health_check") is not { } table)
        {
            return null;
        }

        var check = new TableReader(table, reader.ChildPath("health_check"), reader.Errors);
        var type = check.Choice("type", HealthCheckType.Tcp, "health check type", HealthCheckTypes);
        var interval = check.Duration("interval", TimeSpan.FromSeconds(5), allowZero: false);
        var timeout = check.Duration("timeout", TimeSpan.FromSeconds(1), allowZero: false);
        var unhealthy = check.Int("unhealthy_threshold", 2, 1, 100);
        var healthy = check.Int("healthy_threshold", 1, 1, 100);
        var path = check.OptionalString("path");
        var host = check.OptionalString("host");
        var noTrafficUntilHealthy = check.Bool("no_traffic_until_healthy", false);
        var statuses = ImmutableArray.CreateBuilder<int>();
        if (check.OptionalArray("expected_statuses") is { } array)
        {
            for (var i = 0; i < array.Items.Count; i++)
            {
                if (NodeConverter.TryInt(array.Items[i], KeyPath.Index(check.ChildPath("expected_statuses"), i), check.Errors, 100, 599, out var status))
                {
                    statuses.Add(status);
                }
            }
        }

        if (type != HealthCheckType.Http && (path is not null || host is not null || statuses.Count > 0))
        {
            check.Errors.Add(check.Path, table.Position, "path, host and expected_statuses need type = \"http\"");
        }

        if (path is not null && (!path.StartsWith('/') || path.AsSpan().ContainsAny(" \r\n")))
        {
            check.Errors.Add(check.ChildPath("path"), table.PositionOf("path"), $"{ConfigScalar.Quote(path)} is not a request path (it starts with \"/\" and has no spaces)");
        }

        check.ReportUnknownKeys();
        return new HealthCheckConfig(interval, timeout, unhealthy, healthy)
        {
            Type = type,
            Path = path ?? "/",
            Host = host,
            ExpectedStatuses = statuses.ToImmutable(),
            NoTrafficUntilHealthy = noTrafficUntilHealthy,
        };
    }
}
