using MeshEdge.Config.Model;
using MeshEdge.Native.AccessLogs;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Hosting;

/// <summary>A compiled config and what applying it takes, beyond posting the snapshot: the diff against the running one.</summary>
internal sealed class SnapshotPlan
{
    public WorkerSnapshot Snapshot { get; set; } = null!;

    /// <summary>Ids of listeners that need sockets bound.</summary>
    public List<int> AddedListeners { get; } = [];

    /// <summary>Listeners that stop accepting and drain.</summary>
    public List<ListenerRuntime> RemovedListeners { get; } = [];

    /// <summary>Clusters new to the process (background tasks start, hosts-removed wiring).</summary>
    public List<ClusterRuntime> AddedClusters { get; } = [];

    /// <summary>Clusters removed, or replaced by a new one because their settings changed: pools close when idle.</summary>
    public List<ClusterRuntime> RetiredClusters { get; } = [];

    /// <summary>Clusters that stay whose static hosts changed: hosts are swapped in place at commit.</summary>
    public List<(ClusterRuntime Cluster, ClusterConfig Next)> HostChanges { get; } = [];

    /// <summary>Access logs this plan opened: closed again when the plan is refused.</summary>
    public List<AccessLogSink> OpenedSinks { get; } = [];

    public bool ChangesClusters => AddedClusters.Count > 0 || RetiredClusters.Count > 0 || HostChanges.Count > 0;

    public void CloseOpenedSinks()
    {
        foreach (var sink in OpenedSinks)
        {
            sink.Dispose();
        }

        OpenedSinks.Clear();
    }
}
