using System.Net;
using MeshEdge.Config.Model;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Admin;

/// <summary>
/// What the admin endpoints read: the config, the snapshot and every worker (their counters are
/// plain fields owned by each worker; reading them from the admin side gives values that are at
/// most a moment old, which is all a scrape needs). Filled in by the host before workers start.
/// </summary>
internal sealed class AdminState(ProxyConfig config, WorkerSnapshot snapshot)
{
    public ProxyConfig Config { get; } = config;

    public WorkerSnapshot Snapshot { get; } = snapshot;

    public Worker[] Workers { get; set; } = [];

    /// <summary>Each listener's bound address (the real port when the config said 0), by listener index.</summary>
    public IPEndPoint[] Addresses { get; set; } = [];

    /// <summary>The pooled buffer budget in effect and where it came from (set by the host at start).</summary>
    public MemoryBudget Budget { get; set; } = MemoryBudget.Resolve(null, null);

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Set when the process starts draining: /ready turns 503 so load balancers stop sending.</summary>
    public volatile bool Draining;

    public PrometheusExporter Metrics { get; } = new(snapshot);

    /// <summary>The certificates loaded, by secret name, for /certs (set by the host at start; null before).</summary>
    public Tls.TlsSecretRegistry? Secrets { get; set; }
}
