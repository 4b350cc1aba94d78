using System.Runtime.CompilerServices;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Config.Model;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// What one worker keeps for one RPC listener: the upstream connection pools (one per cluster, shared
/// by every downstream session of this worker), the free list of request records, reply and header
/// scratch space, and the RPC counters. Made on the worker's thread when its first session starts,
/// and touched only by that thread.
/// </summary>
internal sealed class RpcWorkerContext<TCodec> : ITimerHandler
    where TCodec : struct, IRpcCodec
{
    /// <summary>How often pools look for idle connections to probe, and whether the worker is draining (they close when it is).</summary>
    private const int MaintenanceIntervalMs = 250;

    /// <summary>Bolt's header block is at most 64 KiB (u16 length); bigger ones borrow from the array pool.</summary>
    public const int HeaderScratchSize = 64 * 1024;

    private readonly RpcRouteTable _routes;
    private RpcUpstreamPool<TCodec>?[] _pools;
    private readonly TimerEntry _maintenance;

    public RpcWorkerContext(Worker worker, ListenerRuntime listener, TCodec codec, RpcRouteTable routes)
    {
        Worker = worker;
        Listener = listener;
        Codec = codec;
        _routes = routes;
        _currentRoutes = routes;
        Writer = new BlockChainWriter(worker.Pool) { Target = Replies };
        _pools = [];
        ClusterStats = [];
        GrowClusterSlots();
        AccessLog = worker.RpcAccessLogs[listener.Index];
        ProtocolName = System.Text.Encoding.ASCII.GetBytes(codec.Name);
        _maintenance = new TimerEntry(this, 0);
        HeartbeatIntervalMs = (long)Config.UpstreamHeartbeatInterval.TotalMilliseconds;
        EarlyFlush = new RpcEarlyFlush(Config.Flush == RpcFlush.Read);
        Run = new RpcFrameRun(EarlyFlush, worker.Pool);
    }

    /// <summary>The frames of the read being handled that go to one connection, moved there together (<see cref="RpcFrameRun"/>).</summary>
    public RpcFrameRun Run { get; }

    /// <summary>Outputs queued by the read being handled, written when it is done (<c>flush = "read"</c>; fixed for the context's life).</summary>
    public RpcEarlyFlush EarlyFlush { get; }

    /// <summary>Numbers this worker's live sessions, lowest free first, so that they pair with a host's connections one to one up to the cap.</summary>
    public RpcSessionOrdinals SessionOrdinals { get; } = new();

    /// <summary>The listener's current version on this worker (the first one, once a live change removed it).</summary>
    private ListenerRuntime Current => Worker.Listener(Listener.Index) ?? Listener;

    /// <summary>The worker's snapshot <see cref="_currentRoutes"/> was taken from.</summary>
    private WorkerSnapshot? _routesSnapshot;

    private RpcRouteTable _currentRoutes;

    /// <summary>
    /// Per call, the listener's current routes: a live change applies to the next call on every
    /// connection. A listener's version changes only with the worker's snapshot, so the routes are
    /// looked up again only when the snapshot is another one (per call, a compare of two references
    /// instead of the listener's lookup); the per-cluster arrays grow then to any cluster id those
    /// routes may name.
    /// </summary>
    public RpcRouteTable Routes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ReferenceEquals(Worker.Snapshot, _routesSnapshot) ? _currentRoutes : RefreshRoutes();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RpcRouteTable RefreshRoutes()
    {
        var snapshot = Worker.Snapshot;
        if (ClusterStats.Length < snapshot.ClusterSlots)
        {
            GrowClusterSlots();
        }

        _currentRoutes = Current.RpcRoutes ?? _routes;
        _routesSnapshot = snapshot;
        return _currentRoutes;
    }

    private void GrowClusterSlots()
    {
        var slots = Worker.Snapshot.ClusterSlots;
        var stats = new RpcClusterStats[slots];
        ClusterStats.CopyTo(stats, 0);
        for (var i = ClusterStats.Length; i < slots; i++)
        {
            stats[i] = new RpcClusterStats();
        }

        var pools = new RpcUpstreamPool<TCodec>?[slots];
        _pools.CopyTo(pools, 0);
        _pools = pools;
        ClusterStats = stats;
    }

    /// <summary>Idle time after which an upstream connection gets a heartbeat probe; 0 sends none.</summary>
    public long HeartbeatIntervalMs { get; }

    public Worker Worker { get; }

    public ListenerRuntime Listener { get; }

    public TCodec Codec { get; }

    /// <summary>The listener's current rpc_proxy settings.</summary>
    public RpcProxyConfig Config => Current.Config.RpcProxy ?? Listener.Config.RpcProxy!;

    /// <summary>Writes the frames the proxy answers with itself into <see cref="Replies"/>.</summary>
    public BlockChainWriter Writer { get; }

    /// <summary>A reply being written; handed whole to a connection right after, so it is empty between uses.</summary>
    public BlockChain Replies { get; } = new();

    /// <summary>Where a header block split across blocks is copied for routing.</summary>
    public byte[] HeaderScratch { get; } = new byte[HeaderScratchSize];

    /// <summary>How much of a request's content is read for a method the payload names.</summary>
    public const int ContentScratchSize = 512;

    /// <summary>Where the start of a request's content is copied, when split across blocks, to find a method the payload names.</summary>
    public byte[] ContentScratch { get; } = new byte[ContentScratchSize];

    public RpcListenerStats ListenerStats { get; } = new();

    /// <summary>Per cluster id; grown (same objects, longer array) when routes name a new cluster.</summary>
    public RpcClusterStats[] ClusterStats { get; private set; }

    /// <summary>Counters per (service, method) pair.</summary>
    public RpcMethodTable Methods { get; } = new();

    /// <summary>The last header block routed in full and the pair it led to (see <see cref="RpcRouteCache"/>).</summary>
    public RpcRouteCache RouteCache { get; } = new();

    /// <summary>This worker's pending access-log lines for the listener; null when it logs nothing.</summary>
    /// <remarks>Fixed for the context's life (request records are made for its format): a change of it makes a new factory.</remarks>
    public AccessLogs.AccessLogBuffer? AccessLog { get; }

    /// <summary>The codec's name as bytes, for %PROTOCOL%.</summary>
    public byte[] ProtocolName { get; }

    public int ActiveSessions { get; private set; }

    /// <summary>Every request record of this context, linked to each other by index.</summary>
    public RpcRequestRecords<TCodec> Records { get; } = new();

    /// <remarks>Inlined: a few loads and stores per call; the log fields, made once per record, are out of line.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RpcRequest<TCodec> RentRequest(ref int spares)
    {
        // A record comes back reset (Release); a new one is made reset, and gets its log fields here once.
        // The session's own spares first: see RpcDownstreamSession's _spareRecords.
        var request = spares >= 0 ? Records.TakeSpare(ref spares) : Records.Rent();
        if (AccessLog is not null && request.LogFields is null)
        {
            AddLogFields(request);
        }

        ListenerStats.Active++;
        return request;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddLogFields(RpcRequest<TCodec> request) => request.LogFields = new AccessLogs.RpcLogFields(AccessLog!.Sink.Format);

    /// <summary>
    /// The end of a request, whatever it was: its place in its session's list (which its timeout goes with), any frame
    /// bytes it still holds and its host pick are all given back, and the record returns to the free list.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Release(RpcRequest<TCodec> request) => ReleaseInline(request);

    /// <summary><see cref="Release"/>, inlined where every answered call ends (<see cref="RpcDownstreamSession{TCodec}.Finish"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReleaseInline(RpcRequest<TCodec> request)
    {
        ResetForReuse(request);
        Records.Return(request);
    }

    /// <summary>Everything <see cref="Release"/> does but putting the record on the free list: its caller puts it where it will be rented next.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ResetForReuse(RpcRequest<TCodec> request)
    {
        request.Session?.Unlink(request);
        if (!request.Frame.IsEmpty)
        {
            // Its bytes may be the open run's (a oneway call written from its own chain after a
            // connect): they leave before the chain is cleared.
            Run.Flush();
            request.Frame.Clear(Worker.Pool);
        }

        ReleaseBreakerSlots(request);
        if (request.HoldsHost)
        {
            request.Host!.RequestEnded(Worker.Id);
        }

        request.Reset();
        ListenerStats.Active--;
    }

    /// <summary>Takes a slot of the cluster's max_requests for <paramref name="request"/>; false, counted, when it is full.</summary>
    /// <remarks>Inlined, as is <see cref="ReleaseBreakerSlots"/>: every call takes and gives back a slot.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTakeRequestSlot(RpcRequest<TCodec> request)
    {
        request.HoldsRequestSlot = Worker.Cluster(request.ClusterIndex).Breakers.Requests.TryAcquire();
        if (!request.HoldsRequestSlot)
        {
            Worker.Stats.Clusters[request.ClusterIndex].RequestsOverflow++;
        }

        return request.HoldsRequestSlot;
    }

    /// <summary>
    /// <paramref name="request"/> is about to wait for a connect (max_pending_requests); false, counted,
    /// when too many wait already. A request that moves on to another host keeps its slot.
    /// </summary>
    public bool TryTakePendingSlot(RpcRequest<TCodec> request)
    {
        if (request.HoldsPendingSlot)
        {
            return true;
        }

        request.HoldsPendingSlot = Worker.Cluster(request.ClusterIndex).Breakers.PendingRequests.TryAcquire();
        if (!request.HoldsPendingSlot)
        {
            Worker.Stats.Clusters[request.ClusterIndex].PendingOverflow++;
        }

        return request.HoldsPendingSlot;
    }

    /// <summary>The request no longer waits for a connect (it was written, or it ended).</summary>
    public void ReleasePendingSlot(RpcRequest<TCodec> request)
    {
        if (request.HoldsPendingSlot)
        {
            request.HoldsPendingSlot = false;
            Worker.Cluster(request.ClusterIndex).Breakers.PendingRequests.Release();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReleaseBreakerSlots(RpcRequest<TCodec> request)
    {
        if (request.HoldsPendingSlot)
        {
            ReleasePendingSlot(request);
        }

        if (request.HoldsRequestSlot)
        {
            request.HoldsRequestSlot = false;
            Worker.Cluster(request.ClusterIndex).Breakers.Requests.Release();
        }
    }

    /// <summary>The cluster's pool on this worker: per call an array read, inlined; made on first use, out of line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RpcUpstreamPool<TCodec> PoolFor(int clusterIndex) => _pools[clusterIndex] ?? AddPool(clusterIndex);

    /// <summary>
    /// Whether a call of this context holds <paramref name="clusterIndex"/>'s max_requests slot (it is
    /// under way on that cluster). A walk over the records, for the worker's rare look at a retired
    /// cluster, rather than a count kept per call on the data path (a free record holds no slot).
    /// </summary>
    public bool HasCallsTo(int clusterIndex)
    {
        for (var i = 0; i < Records.Count; i++)
        {
            if (Records[i] is { HoldsRequestSlot: true } request && request.ClusterIndex == clusterIndex)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The worker let go of the pool's retired cluster (<see cref="RpcUpstreamPool{TCodec}.Forget"/>).</summary>
    public void ForgetPool(int clusterIndex)
    {
        _pools[clusterIndex] = null;
        Records.ForgetUpstreamsOfFreeRecords();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RpcUpstreamPool<TCodec> AddPool(int clusterIndex) =>
        _pools[clusterIndex] = Worker.AddUpstreamPool(new RpcUpstreamPool<TCodec>(this, Worker.Cluster(clusterIndex)));

    public void OnRequestTimeout(RpcRequest<TCodec> request)
    {
        ClusterStats[request.ClusterIndex].Timeouts++;
        if (request.State != RpcRequestState.Free)
        {
            request.Upstream!.Forget(request);
        }

        request.Session!.Fail(request, RpcErrorKind.Timeout);
    }

    /// <summary>A session starts: counted, and given its number (<see cref="SessionOrdinals"/>).</summary>
    public int SessionStarted()
    {
        ActiveSessions++;
        return SessionOrdinals.Take();
    }

    public void SessionEnded(int ordinal)
    {
        ActiveSessions--;
        SessionOrdinals.Release(ordinal);
        if (ActiveSessions == 0 && Worker.IsDraining)
        {
            CloseAllPools();
        }
    }

    /// <summary>An upstream connection exists: keep an eye on the drain so that idle pools do not hold the worker up.</summary>
    public void UpstreamCreated()
    {
        if (!_maintenance.IsArmed)
        {
            Worker.Timers.Arm(_maintenance, Worker.NowMs, MaintenanceIntervalMs);
        }
    }

    public void OnTimer(TimerEntry timer)
    {
        if (Worker.IsDraining && ActiveSessions == 0)
        {
            CloseAllPools();
            return;
        }

        if (HasUpstreamConnections())
        {
            // Removed hosts' connections close here once their last answer is in, heartbeats or not.
            foreach (var pool in _pools)
            {
                pool?.DrainRemovedHosts();
                pool?.CloseUnpaired(SessionOrdinals, Worker.NowMs);
                if (HeartbeatIntervalMs > 0)
                {
                    pool?.SendHeartbeats(Worker.NowMs - HeartbeatIntervalMs);
                }
            }

            Worker.Timers.Arm(_maintenance, Worker.NowMs, MaintenanceIntervalMs);
        }
    }

    private bool HasUpstreamConnections()
    {
        foreach (var pool in _pools)
        {
            if (pool is { HasConnections: true })
            {
                return true;
            }
        }

        return false;
    }

    private void CloseAllPools()
    {
        Worker.Timers.Cancel(_maintenance);
        foreach (var pool in _pools)
        {
            pool?.CloseAll();
        }
    }
}
