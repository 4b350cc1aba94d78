using System.Collections.Immutable;
using System.Net;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// A cluster as workers see it: its settings, an immutable host set, and the balancer policy.
/// Consistent-hash tables are built once here and shared (read-only) by every worker; policies
/// with state get a fresh instance per worker.
/// </summary>
internal sealed class ClusterRuntime
{
    private readonly ILoadBalancer? _sharedTable;

    public ClusterRuntime(int index, ClusterConfig config)
    {
        Index = index;
        Config = config;
        Hosts = config.Hosts.Select(h => h.Address).ToImmutableArray();
        Weights = config.Hosts.Select(h => h.Weight).ToImmutableArray();
        ConnectTimeoutMs = (int)Math.Min(int.MaxValue, config.ConnectTimeout.TotalMilliseconds);
        Connections = new ConnectionLimit(config.CircuitBreakers.MaxConnections);
        Breakers = new CircuitBreakers(config.CircuitBreakers);
        Health = new HostHealth(Hosts.Length);
        Outliers = config.OutlierDetection is { } outliers ? new OutlierDetector(this, outliers) : null;
        _sharedTable = config.LbPolicy switch
        {
            LoadBalancerPolicy.RingHash => new HashRing(Hosts, Weights),
            LoadBalancerPolicy.Maglev => new MaglevTable(Hosts, Weights),
            _ => null,
        };
    }

    public int Index { get; }

    public ClusterConfig Config { get; }

    public string Name => Config.Name;

    public ImmutableArray<IPEndPoint> Hosts { get; }

    /// <summary>Passive health; null when the cluster has no outlier_detection.</summary>
    public OutlierDetector? Outliers { get; }

    public ImmutableArray<int> Weights { get; }

    public int ConnectTimeoutMs { get; }

    /// <summary>Which hosts pass their health checks (all of them when the cluster has none).</summary>
    public HostHealth Health { get; }

    /// <summary>The circuit breaker on upstream connections, over all workers.</summary>
    public ConnectionLimit Connections { get; }

    /// <summary>The circuit breakers on pending requests, active requests and retries, over all workers.</summary>
    public CircuitBreakers Breakers { get; }

    /// <summary>The balancer worker <paramref name="workerId"/> uses for this cluster.</summary>
    public ILoadBalancer CreateBalancer(int workerId) => Config.LbPolicy switch
    {
        LoadBalancerPolicy.LeastRequest => new LeastRequestBalancer(Weights, Seed(workerId)),
        LoadBalancerPolicy.Random => new RandomBalancer(Weights, Seed(workerId)),
        LoadBalancerPolicy.RingHash or LoadBalancerPolicy.Maglev => _sharedTable!,
        _ => new WeightedRoundRobinBalancer(Weights, workerId),
    };

    private ulong Seed(int workerId) => HostHash.Mix(((ulong)Index << 32) | (uint)workerId) ^ (ulong)Environment.TickCount64;
}
