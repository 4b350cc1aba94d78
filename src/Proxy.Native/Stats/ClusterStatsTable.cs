namespace MeshEdge.Native.Stats;

/// <summary>
/// One worker's counters per cluster id, each made when the worker first counts for that cluster: a
/// sidecar knows thousands of clusters (10,000 from a control plane) and sends traffic to a few, so
/// counters made up front for every cluster on every worker were most of what an idle cluster cost
/// (about 450 bytes per cluster and worker). A cluster no worker has used has no counters: it reads
/// as zeros. The table grows with new ids and never shrinks or shifts; made counters stay the same
/// objects, so a session holding one goes on counting where the admin API looks.
/// </summary>
internal sealed class ClusterStatsTable
{
    private ClusterStats?[] _items = [];

    /// <summary>Cluster ids this worker has room for.</summary>
    public int Length => Volatile.Read(ref _items).Length;

    /// <summary>The counters of cluster <paramref name="id"/>, made on first use (by the worker, on its thread).</summary>
    public ClusterStats this[int id] => _items[id] ?? Create(id);

    /// <summary>
    /// The counters of cluster <paramref name="id"/> if this worker has made them, else null (it has
    /// counted nothing for it): for readers off the worker's thread, which must not make them.
    /// </summary>
    public ClusterStats? Find(int id)
    {
        var items = Volatile.Read(ref _items);
        return (uint)id < (uint)items.Length ? Volatile.Read(ref items[id]) : null;
    }

    /// <summary>Makes room for ids below <paramref name="length"/> (on the worker's thread).</summary>
    public void Grow(int length)
    {
        if (_items.Length >= length)
        {
            return;
        }

        var next = new ClusterStats?[length];
        _items.CopyTo(next, 0);
        Volatile.Write(ref _items, next);
    }

    private ClusterStats Create(int id)
    {
        var stats = new ClusterStats();
        Volatile.Write(ref _items[id], stats);
        return stats;
    }
}
