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
    /// <summary>The config in effect; replaced by a live config change.</summary>
    public ProxyConfig Config { get; set; } = config;

    /// <summary>The snapshot in effect; replaced by a live config change once every worker runs on it.</summary>
    public WorkerSnapshot Snapshot
    {
        get => Volatile.Read(ref _snapshot);
        set
        {
            Volatile.Write(ref _snapshot, value);
            Metrics.Snapshot = value;
        }
    }

    private WorkerSnapshot _snapshot = snapshot;

    /// <summary>Live configuration: versions, sources and rejections per resource type, for /config_dump and /metrics.</summary>
    public Hosting.LiveConfigStatus LiveConfig { get; } = new();

    /// <summary>POST /reload: rereads the config file and applies it live; returns null when it took effect, else the reason. Null when reload is unavailable.</summary>
    public Func<string?>? Reload { get; set; }

    public Worker[] Workers { get; set; } = [];

    /// <summary>Each listener's bound address (the real port when the config said 0), by listener id; null where none is bound.</summary>
    public IPEndPoint?[] Addresses => AddressSource();

    /// <summary>Where <see cref="Addresses"/> comes from: the host's listener binding, which live config changes update.</summary>
    public Func<IPEndPoint?[]> AddressSource { get; set; } = () => [];

    /// <summary>The pooled buffer budget in effect and where it came from (set by the host at start).</summary>
    public MemoryBudget Budget { get; set; } = MemoryBudget.Resolve(null, null);

    /// <summary>The active/standby switch (set by the host once the workers run).</summary>
    public StandbyController? Standby { get; set; }

    /// <summary>runtime.idle_trim_after's trims (set by the host once the workers run; null when off).</summary>
    public IdleTrim? IdleTrim { get; set; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Set when the process starts draining: /ready turns 503 so load balancers stop sending.</summary>
    public volatile bool Draining;

    public PrometheusExporter Metrics { get; } = new(snapshot);

    /// <summary>Ties the exporter to the live config status (the exporter exists before the status is read).</summary>
    public AdminState Init()
    {
        Metrics.LiveConfig = LiveConfig;
        return this;
    }

    /// <summary>The certificates loaded, by secret name, for /certs (set by the host at start; null before).</summary>
    public Tls.TlsSecretRegistry? Secrets { get; set; }
}
