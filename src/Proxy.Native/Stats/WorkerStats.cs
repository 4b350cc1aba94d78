namespace MeshEdge.Native.Stats;

/// <summary>Everything one worker counts, indexed like the snapshot's listeners and clusters.</summary>
internal sealed class WorkerStats
{
    public WorkerStats(int listenerCount, int clusterCount)
    {
        Listeners = new ListenerStats[listenerCount];
        for (var i = 0; i < listenerCount; i++)
        {
            Listeners[i] = new ListenerStats();
        }

        Clusters = new ClusterStats[clusterCount];
        for (var i = 0; i < clusterCount; i++)
        {
            Clusters[i] = new ClusterStats();
        }
    }

    public ListenerStats[] Listeners { get; }

    public ClusterStats[] Clusters { get; }
}
