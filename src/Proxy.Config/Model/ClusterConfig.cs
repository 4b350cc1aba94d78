using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>A named group of upstream hosts and how to pick among them.</summary>
public sealed record ClusterConfig(
    string Name,
    ClusterType Type,
    LoadBalancerPolicy LbPolicy,
    TimeSpan ConnectTimeout,
    ImmutableArray<HostConfig> Hosts)
{
    public CircuitBreakerConfig CircuitBreakers { get; init; } = CircuitBreakerConfig.Default;

    /// <summary>Active health checking; null when the cluster has none.</summary>
    public HealthCheckConfig? HealthCheck { get; init; }

    public ConnectionPoolConfig ConnectionPool { get; init; } = ConnectionPoolConfig.Default;

    /// <summary>Passive health from the responses themselves; null when the cluster has none.</summary>
    public OutlierDetectionConfig? OutlierDetection { get; init; }

    /// <summary>How often a strict_dns cluster resolves its names again.</summary>
    public TimeSpan DnsRefreshRate { get; init; } = TimeSpan.FromSeconds(5);

    public DnsLookupFamily DnsLookupFamily { get; init; } = DnsLookupFamily.V4Only;

    /// <summary>An eds cluster's host file, read again whenever it changes; null when hosts come only from the API.</summary>
    public string? EdsPath { get; init; }

    /// <summary>TLS to the cluster's hosts; null for plaintext.</summary>
    public UpstreamTlsConfig? Tls { get; init; }
}
