using System.Collections.Immutable;
using MeshEdge.Native.Network;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// The configuration compiled into what workers use: listeners and clusters, each with a stable id
/// (<see cref="ListenerRuntime.Index"/>, <see cref="ClusterRuntime.Index"/>) that per-worker arrays
/// (stats, balancers, pools, access logs) are indexed by. Ids are never reused while the process
/// runs, so a live configuration change never shifts what a session in flight holds. Immutable; a
/// new config means a new snapshot posted to every worker.
/// </summary>
internal sealed record WorkerSnapshot(ImmutableArray<ListenerRuntime> Listeners, ImmutableArray<ClusterRuntime> Clusters)
{
    /// <summary>One more than the highest listener id ever given out: per-worker listener arrays are at least this long.</summary>
    public int ListenerSlots { get; init; } = Listeners.IsEmpty ? 0 : Listeners.Max(l => l.Index) + 1;

    /// <summary>One more than the highest cluster id ever given out (removed clusters included).</summary>
    public int ClusterSlots { get; init; } = Clusters.IsEmpty ? 0 : Clusters.Max(c => c.Index) + 1;

    /// <summary>The config version this snapshot was compiled from, for logs and /config_dump.</summary>
    public string Version { get; init; } = "";
}
