using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// The background tasks (DNS, eds file, health checks, outlier intervals) of every cluster in
/// effect, each cluster's under its own cancellation so a live change can stop a removed cluster's
/// tasks and start a new one's while the rest run on.
/// </summary>
internal sealed class ClusterTaskSet(CancellationToken stopping)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ClusterRuntime, (CancellationTokenSource Stop, Task[] Tasks)> _running = [];
    private readonly List<Task> _stopped = [];

    /// <summary>Warms <paramref name="clusters"/> (first DNS answers, eds files) and starts their tasks.</summary>
    public void Start(IReadOnlyCollection<ClusterRuntime> clusters)
    {
        if (clusters.Count == 0)
        {
            return;
        }

        var tasks = new ClusterTasks(clusters);
        tasks.Warm();
        lock (_lock)
        {
            foreach (var cluster in clusters)
            {
                if (!ClusterTasks.Needed(cluster))
                {
                    // No task, so no linked cancellation source and task list kept for it either (10,000 idle clusters held one each).
                    continue;
                }

                var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                _running[cluster] = (stop, new ClusterTasks([cluster]).Start(stop.Token));
            }
        }
    }

    /// <summary>A cluster left: its tasks end (waited for at shutdown).</summary>
    public void Stop(ClusterRuntime cluster)
    {
        lock (_lock)
        {
            if (_running.Remove(cluster, out var entry))
            {
                entry.Stop.Cancel();
                _stopped.AddRange(entry.Tasks);
            }
        }
    }

    /// <summary>Every task started, for the final wait once <c>stopping</c> is cancelled.</summary>
    public Task[] All()
    {
        lock (_lock)
        {
            return [.. _running.Values.SelectMany(e => e.Tasks), .. _stopped];
        }
    }
}
