namespace MeshEdge.Native.Upstream;

/// <summary>
/// One worker's <see cref="ClusterBalancer"/> per cluster id, each built on the worker's first pick
/// in that cluster: of the thousands of clusters a control plane sends a sidecar, most carry no
/// traffic through a given worker, and a balancer built up front for each was memory spent on every
/// worker for nothing. Worker thread only. A cluster id names one <see cref="ClusterRuntime"/> for
/// good (a changed cluster gets a new id), so a balancer once built stays the right one.
/// </summary>
internal sealed class ClusterBalancerTable(int worker)
{
    private ClusterRuntime?[] _clusters = [];
    private ClusterBalancer?[] _balancers = [];

    /// <summary>The balancer of cluster <paramref name="id"/> (a cluster this worker's snapshot has had).</summary>
    public ClusterBalancer this[int id] => _balancers[id] ??= new ClusterBalancer(_clusters[id]!, worker);

    /// <summary>Makes room for ids below <paramref name="length"/>.</summary>
    public void Grow(int length)
    {
        if (_clusters.Length >= length)
        {
            return;
        }

        Array.Resize(ref _clusters, length);
        Array.Resize(ref _balancers, length);
    }

    /// <summary>Notes the cluster behind an id, for the balancer built on first use.</summary>
    public void Know(ClusterRuntime cluster) => _clusters[cluster.Index] ??= cluster;

    /// <summary>The worker let go of retired cluster <paramref name="id"/>: its balancer (and through it the hosts) goes too.</summary>
    public void Forget(int id)
    {
        _clusters[id] = null;
        _balancers[id] = null;
    }
}
