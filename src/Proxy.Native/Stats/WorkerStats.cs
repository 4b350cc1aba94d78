namespace MeshEdge.Native.Stats;

/// <summary>Everything one worker counts, indexed by listener and cluster id.</summary>
internal sealed class WorkerStats
{
    public WorkerStats(int listenerCount, int clusterCount)
    {
        Listeners = new ListenerStats[listenerCount];
        for (var i = 0; i < listenerCount; i++)
        {
            Listeners[i] = new ListenerStats();
        }

        Clusters.Grow(clusterCount);
    }

    /// <summary>Per listener id; grown (never shrunk) by a live config change, on the worker's thread.</summary>
    public ListenerStats[] Listeners { get; private set; }

    /// <summary>Per cluster id, each made on the worker's first use of the cluster; grown like <see cref="Listeners"/>.</summary>
    public ClusterStatsTable Clusters { get; } = new();

    /// <summary>
    /// Makes room for new listener and cluster ids. Existing counters are the same objects in the
    /// new arrays, so a session holding one goes on counting where the admin API looks.
    /// </summary>
    public void Grow(int listenerSlots, int clusterSlots)
    {
        Listeners = Grown(Listeners, listenerSlots);
        Clusters.Grow(clusterSlots);
    }

    private static T[] Grown<T>(T[] current, int length)
        where T : new()
    {
        if (current.Length >= length)
        {
            return current;
        }

        var next = new T[length];
        current.CopyTo(next, 0);
        for (var i = current.Length; i < length; i++)
        {
            next[i] = new T();
        }

        return next;
    }

    /// <summary>Turns of the event loop: one epoll_wait each, blocking or not.</summary>
    public long EpollWaits;

    /// <summary>
    /// epoll_waits that runtime.busy_poll made non-blocking: the worker would have slept (nothing
    /// pending, no timer due) but had found events within the last busy_poll, so it polled instead.
    /// Zero when busy_poll is off; on, it shows the worker really polled rather than slept.
    /// </summary>
    public long BusyPollWaits;
}
