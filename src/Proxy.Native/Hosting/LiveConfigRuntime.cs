using MeshEdge.Config.Model;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// What a live config change works on, once the process runs: the config and snapshot in effect,
/// the workers, the listening sockets and the clusters' background tasks. Touched only under the
/// host's live-config lock (one change at a time); workers get the snapshot through their queues.
/// </summary>
internal sealed class LiveConfigRuntime(WorkerSnapshot snapshot, Worker[] workers, ListenerBinding binding, ClusterTaskSet clusterTasks)
{
    public WorkerSnapshot Snapshot { get; set; } = snapshot;

    public ProxyConfig? Config { get; set; }

    public Worker[] Workers { get; } = workers;

    public ListenerBinding Binding { get; } = binding;

    public ClusterTaskSet ClusterTasks { get; } = clusterTasks;
}
