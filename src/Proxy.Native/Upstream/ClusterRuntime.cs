using System.Collections.Immutable;
using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// A cluster as workers see it: its settings, its current <see cref="HostSnapshot"/> (membership
/// plus health-derived routing), and its circuit breaker. Updates come from off the data path (the
/// DNS resolver, a discovery push, the health checker, an outlier ejection) and are serialised by a
/// lock; each builds a new snapshot and publishes it with one volatile write, so workers never lock.
/// </summary>
internal sealed class ClusterRuntime
{
    private readonly Lock _updateLock = new();
    private readonly int _workerCount;
    private HostSnapshot _snapshot;
    private long _version;
    private bool _retired;

    public ClusterRuntime(int index, ClusterConfig config, int workerCount)
    {
        Index = index;
        Config = config;
        _workerCount = workerCount;
        ConnectTimeoutMs = (int)Math.Min(int.MaxValue, config.ConnectTimeout.TotalMilliseconds);
        Connections = new ConnectionLimit(config.CircuitBreakers.MaxConnections);
        Breakers = new CircuitBreakers(config.CircuitBreakers, workerCount);
        Outliers = config.OutlierDetection is { } outliers ? new OutlierDetector(this, outliers) : null;
        Tls = config.Tls is { } tls ? Native.Tls.TlsClientContexts.For(tls) : null;
        // A strict_dns cluster has no addresses until its first resolution.
        var initial = config.Type == ClusterType.StrictDns ? [] : config.Hosts;
        _snapshot = new HostSnapshot(new HostSet([.. initial.Select(NewHost)], config.LbPolicy, 0));
    }

    public int Index { get; }

    /// <summary>The settings; replaced (with the same everything but hosts) by <see cref="ReplaceHosts"/>.</summary>
    public ClusterConfig Config { get; private set; }

    public string Name => Config.Name;

    /// <summary>Passive health; null when the cluster has no outlier_detection.</summary>
    public OutlierDetector? Outliers { get; }

    public int ConnectTimeoutMs { get; }

    /// <summary>TLS origination to the cluster's hosts; null for plaintext.</summary>
    public Native.Tls.TlsClientContext? Tls { get; }

    /// <summary>The circuit breaker on upstream connections, over all workers.</summary>
    public ConnectionLimit Connections { get; }

    /// <summary>Where traffic goes now; read once per pick.</summary>
    public HostSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>The circuit breakers on pending requests, active requests and retries, over all workers.</summary>
    public CircuitBreakers Breakers { get; }

    /// <summary>Raised (off the data path, after the new set is published) when hosts left the cluster.</summary>
    public event Action<ClusterRuntime>? HostsRemoved;

    /// <summary>The current membership.</summary>
    public ImmutableArray<UpstreamHost> Hosts => Snapshot.Set.Hosts;

    /// <summary>
    /// Replaces the membership with <paramref name="hosts"/> (a DNS answer, a discovery push). A host
    /// whose address, weight and priority stay is the same object afterwards, keeping its health,
    /// ejection history and pooled connections; a removed host is marked so pools drain it.
    /// Duplicate addresses keep their first entry. Returns whether anything changed.
    /// </summary>
    public bool UpdateHosts(IEnumerable<HostConfig> hosts)
    {
        var removedAny = false;
        lock (_updateLock)
        {
            var current = _snapshot.Set;
            var byAddress = current.Hosts.ToDictionary(h => h.Address);
            var next = ImmutableArray.CreateBuilder<UpstreamHost>();
            var seen = new HashSet<System.Net.IPEndPoint>();
            foreach (var config in hosts)
            {
                if (!seen.Add(config.Address))
                {
                    continue;
                }

                next.Add(byAddress.TryGetValue(config.Address, out var kept) && kept.Weight == config.Weight && kept.Priority == config.Priority
                    ? kept
                    : NewHost(config));
            }

            var added = next.Count(h => !current.Hosts.Contains(h));
            var removed = current.Hosts.Where(h => !next.Contains(h)).ToArray();
            if (added == 0 && removed.Length == 0)
            {
                return false;
            }

            foreach (var host in removed)
            {
                host.MarkRemoved();
            }

            removedAny = removed.Length > 0;

            var set = new HostSet(next.ToImmutable(), Config.LbPolicy, ++_version);
            Volatile.Write(ref _snapshot, new HostSnapshot(set));
            Log.Info("cluster hosts updated", ("cluster", Name), ("hosts", set.Hosts.Length), ("added", added), ("removed", removed.Length), ("version", set.Version));
        }

        if (removedAny)
        {
            HostsRemoved?.Invoke(this);
        }

        return true;
    }

    /// <summary>
    /// A live config change that touches only this static cluster's hosts: the cluster stays (its
    /// id, breakers, outlier detector, balancers and pools), hosts that stay keep their state.
    /// </summary>
    public void ReplaceHosts(ClusterConfig next)
    {
        Config = next;
        UpdateHosts(next.Hosts);
    }

    /// <summary>
    /// Set by <see cref="Retire"/> (before the workers are told): no snapshot names this runtime any
    /// more, so each worker lets go of it once nothing of it is in use there (<see cref="Runtime.Worker"/>'s
    /// retired-cluster release).
    /// </summary>
    public bool IsRetired
    {
        get => Volatile.Read(ref _retired);
        private set => Volatile.Write(ref _retired, value);
    }

    /// <summary>
    /// The cluster left the config (or a change of its settings replaced it): every host is marked
    /// removed, so pools stop reusing its connections and close each once idle; requests already
    /// under way on it finish.
    /// </summary>
    public void Retire()
    {
        IsRetired = true;
        lock (_updateLock)
        {
            foreach (var host in _snapshot.Set.Hosts)
            {
                host.MarkRemoved();
            }
        }

        HostsRemoved?.Invoke(this);
    }

    /// <summary>A host's health flag changed: routing is recomputed and published.</summary>
    public void HealthChanged()
    {
        lock (_updateLock)
        {
            Volatile.Write(ref _snapshot, new HostSnapshot(_snapshot.Set));
        }
    }

    private UpstreamHost NewHost(HostConfig config) =>
        new(config.Address, config.Hostname, config.Weight, config.Priority, _workerCount, Config.HealthCheck is { NoTrafficUntilHealthy: true });
}
