using System.Runtime.CompilerServices;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// This worker's part in freeing a retired cluster (one a live change removed, or replaced because its
/// settings changed: a new runtime with a new id). Requests under way on it finish on it, so the
/// worker keeps it at first; once nothing of it is in use here (its pools hold no connection, open or
/// connecting, and no HTTP request or RPC call of this worker holds its max_requests slot) the worker drops
/// every reference it has to it: pools, balancer and the id's runtime slot. Then the runtime, its
/// hosts and its TLS client context are garbage once every worker has done so, as Envoy frees a
/// removed cluster once its pools are drained. Stats slots stay (a few counters per id).
/// </summary>
internal sealed partial class Worker
{
    /// <summary>How often held retired clusters are looked at again while there are any.</summary>
    private const int RetiredCheckIntervalMs = 1000;

    /// <summary>Ids of retired clusters this worker still holds (something of them was in use at the last look).</summary>
    private readonly List<int> _retiredHeld = [];

    private TimerEntry? _retiredCheck;

    private int _retiredHeldCount;

    /// <summary>Retired clusters this worker still holds; read by the admin thread (/stats clusters_retired_held).</summary>
    public int RetiredClustersHeld => Volatile.Read(ref _retiredHeldCount);

    /// <summary>
    /// Whether cluster id <paramref name="id"/> can be used on this worker: false for -1 (no cluster)
    /// and for a retired cluster the worker let go of. A table compiled before the retirement (a
    /// removed listener's routes, which its draining connections keep; a ClientHello inspected across
    /// a change; a standby diversion set before it) may still name such an id: the request is refused
    /// as having no cluster rather than bringing the runtime back.
    /// </summary>
    /// <remarks>Inlined: the RPC path asks it per call (where it had a compare with -1).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool HasCluster(int id) => (uint)id < (uint)_clustersById.Length && _clustersById[id] is not null;

    /// <summary>Posted with <see cref="DrainRemovedHosts"/>: a retired cluster is looked at now, then every second until it is let go.</summary>
    private void NoteIfRetired(int id)
    {
        if (!HasCluster(id) || !_clustersById[id]!.IsRetired || _retiredHeld.Contains(id))
        {
            return;
        }

        _retiredHeld.Add(id);
        ReleaseUnusedRetiredClusters();
    }

    private void ReleaseUnusedRetiredClusters()
    {
        var releasedTls = false;
        for (var i = _retiredHeld.Count - 1; i >= 0; i--)
        {
            var id = _retiredHeld[i];
            if (RetiredClusterInUse(id))
            {
                continue;
            }

            releasedTls |= _clustersById[id]!.Tls is not null;
            ReleaseRetiredCluster(id);
            _retiredHeld.RemoveAt(i);
        }

        Volatile.Write(ref _retiredHeldCount, _retiredHeld.Count);
        if (_retiredHeld.Count > 0)
        {
            _retiredCheck ??= new TimerEntry(new RetiredClusterCheck(this), 0);
            if (!_retiredCheck.IsArmed)
            {
                Timers.Arm(_retiredCheck, NowMs, RetiredCheckIntervalMs);
            }
        }

        if (releasedTls)
        {
            Tls.TlsClientContextCollector.Request();
        }
    }

    private bool RetiredClusterInUse(int id)
    {
        if (Stats.Clusters[id].RequestsInFlight > 0)
        {
            return true;
        }

        foreach (var pool in UpstreamPools)
        {
            if (pool.Cluster.Index == id && pool.InUse)
            {
                return true;
            }
        }

        return false;
    }

    private void ReleaseRetiredCluster(int id)
    {
        for (var i = UpstreamPools.Count - 1; i >= 0; i--)
        {
            var pool = UpstreamPools[i];
            if (pool.Cluster.Index == id)
            {
                pool.Forget();
                UpstreamPools.RemoveAt(i);
            }
        }

        HttpPools[id] = null;
        Balancers.Forget(id);
        _clustersById[id] = null;
    }

    private sealed class RetiredClusterCheck(Worker worker) : ITimerHandler
    {
        public void OnTimer(TimerEntry timer) => worker.ReleaseUnusedRetiredClusters();
    }
}
