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

    /// <summary>Turns of the event loop: one epoll_wait each, blocking or not.</summary>
    public long EpollWaits;

    /// <summary>
    /// epoll_waits that runtime.busy_poll made non-blocking: the worker would have slept (nothing
    /// pending, no timer due) but had found events within the last busy_poll, so it polled instead.
    /// Zero when busy_poll is off; on, it shows the worker really polled rather than slept.
    /// </summary>
    public long BusyPollWaits;
}
