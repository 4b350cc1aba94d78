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
        // By id; a worker that has not applied a live change yet lacks the newest ids and adds nothing for them.
        var listeners = new ListenerStats[snapshot.ListenerSlots];
        var clusters = new ClusterStats[snapshot.ClusterSlots];
        for (var i = 0; i < listeners.Length; i++)
        {
            listeners[i] = new ListenerStats();
            foreach (var worker in workers)
            {
                if (worker.Stats.Listeners is { } stats && i < stats.Length)
                {
                    listeners[i].Add(stats[i]);
                }
            }
        }

        for (var i = 0; i < clusters.Length; i++)
        {
            clusters[i] = new ClusterStats();
            foreach (var worker in workers)
            {
                if (worker.Stats.Clusters.Find(i) is { } stats)
                {
                    clusters[i].Add(stats);
                }
            }
        }

        return new StatsTotals(listeners, clusters, workers.Sum(w => w.ConnectionCount));
    }
}
