using System.Runtime.CompilerServices;
using MeshEdge.Native.Network;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// This worker's part of standby (<see cref="StandbyController"/>): the cluster swap for requests to the
/// local application, and what it gives back on entering: its pool's cached pages and its idle upstream
/// connections. Runs on the worker's thread (posted commands and the data path), so it needs no locks.
/// </summary>
internal sealed partial class Worker
{
    private StandbyDiversion? _diversion;

    /// <summary>Requests and calls for the local application sent to the peers, and kept, while in standby.</summary>
    public long StandbyToPeers;

    public long StandbyKeptLocal;

    /// <summary>Set in standby on every worker but the one that takes new connections.</summary>
    public bool IsParked { get; private set; }

    /// <summary>
    /// The cluster a new request or call goes to: <paramref name="cluster"/>, the route's choice, except in
    /// standby, where the local application's cluster is swapped for the peers' with probability 1 - share.
    /// </summary>
    /// <remarks>Inlined into the request paths: out of standby (no diversion) it is one load and a compare.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int StandbyCluster(int cluster) => _diversion is null ? cluster : DivertedCluster(cluster);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int DivertedCluster(int cluster)
    {
        if (_diversion is not { } diversion || (uint)cluster >= (uint)diversion.PeersOf.Length || diversion.PeersOf[cluster] is var peers && peers < 0)
        {
            return cluster;
        }

        if (Random.NextUInt64() < diversion.KeepBelow)
        {
            StandbyKeptLocal++;
            return cluster;
        }

        StandbyToPeers++;
        return peers;
    }

    /// <summary>Enters standby on this worker; returns the bytes of pooled pages given back to the OS.</summary>
    public long EnterStandby(StandbyDiversion? diversion, bool parked)
    {
        _diversion = diversion;
        IsParked = parked;
        CloseIdleUpstreams();
        return ReleaseCachedMemory();
    }

    /// <summary>
    /// Gives back the memory this worker keeps for reuse: its pool's cached pages and its thread's idle head
    /// storage; returns the pool's bytes given back. Standby's and the idle trim's part on each worker.
    /// </summary>
    public long ReleaseCachedMemory()
    {
        // Runs on this worker's thread (posted), so the thread's header storage is this worker's.
        Http.HeaderStoragePool.OfThisThread.Release();
        return Pool.ReleaseCached();
    }

    public void EnterActive()
    {
        _diversion = null;
        IsParked = false;
        MayRest = false;
    }

    /// <summary>Steers the kernel's choice among every listener's SO_REUSEPORT sockets (see <see cref="ReuseportSteering"/>).</summary>
    public bool SteerAccepts(bool toFirstSocket)
    {
        var ok = true;
        foreach (var listener in _listeners)
        {
            ok &= toFirstSocket ? ReuseportSteering.SteerToFirst(listener.Fd) : ReuseportSteering.Spread(listener.Fd);
        }

        return ok;
    }

    /// <summary>Closes the HTTP upstream connections idle in this worker's pools (leased ones finish their exchange).</summary>
    private void CloseIdleUpstreams()
    {
        foreach (var handler in _handlers.ToArray())
        {
            if (handler is Connection { State: ConnectionState.Open, Handler: Http.HttpUpstream { User: null } upstream } connection)
            {
                upstream.OnDrain(connection);
            }
        }
    }
}
