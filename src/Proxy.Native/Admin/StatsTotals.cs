using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;

namespace MeshEdge.Native.Admin;

/// <summary>Every worker's counters merged per listener and per cluster, as of now.</summary>
internal sealed class StatsTotals
{
    private StatsTotals(ListenerStats[] listeners, ClusterStats[] clusters, int connections)
    {
        Listeners = listeners;
        Clusters = clusters;
        Connections = connections;
    }

    public ListenerStats[] Listeners { get; }

    public ClusterStats[] Clusters { get; }

    /// <summary>Open connections, downstream and upstream, over all workers.</summary>
    public int Connections { get; }

    public static StatsTotals Collect(WorkerSnapshot snapshot, IReadOnlyList<Worker> workers)
    {
        var listeners = new ListenerStats[snapshot.Listeners.Length];
        var clusters = new ClusterStats[snapshot.Clusters.Length];
        for (var i = 0; i < listeners.Length; i++)
        {
            listeners[i] = new ListenerStats();
            foreach (var worker in workers)
            {
                listeners[i].Add(worker.Stats.Listeners[i]);
            }
        }

        for (var i = 0; i < clusters.Length; i++)
        {
            clusters[i] = new ClusterStats();
            foreach (var worker in workers)
            {
                clusters[i].Add(worker.Stats.Clusters[i]);
            }
        }

        return new StatsTotals(listeners, clusters, workers.Sum(w => w.ConnectionCount));
    }
}
