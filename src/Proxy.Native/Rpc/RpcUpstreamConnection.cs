using System.Runtime.CompilerServices;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// One multiplexed connection to an upstream host, shared by every session of its worker. Each request
/// written on it gets a fresh id (rewritten in place in the frame), kept in a map until the response
/// with that id comes back. Requests that arrive while it connects wait with their bytes, so that a
/// failed connect can send them to another host; requests in flight when it closes are answered with
/// a connection-closed error.
/// </summary>
internal sealed partial class RpcUpstreamConnection<TCodec> : IConnectionHandler, ITimerHandler
    where TCodec : struct, IRpcCodec
{
    private readonly RpcWorkerContext<TCodec> _context;
    private readonly RpcUpstreamPool<TCodec> _pool;
    private readonly ClusterStats _clusterStats;
    private readonly RpcClusterStats _rpcStats;
    private readonly TimerEntry _connectTimer;
    private readonly RpcInFlightTable _inFlight = new();
    private readonly List<int> _lost = [];
    private readonly List<RpcRequest<TCodec>> _queued = [];
    private readonly List<RpcRequest<TCodec>> _failing = [];
    private readonly List<RpcDownstreamSession<TCodec>> _waiters = [];
    private Connection? _connection;
    private ulong _heartbeatId;
    private long _awaitedLength;
    private bool _open;
    private bool _closed;

    public RpcUpstreamConnection(RpcWorkerContext<TCodec> context, RpcUpstreamPool<TCodec> pool, int slot, UpstreamHost host)
    {
        _context = context;
        _pool = pool;
        Slot = slot;
        Host = host;
        _clusterStats = context.Worker.Stats.Clusters[pool.Cluster.Index];
        _rpcStats = context.ClusterStats[pool.Cluster.Index];
        _connectTimer = new TimerEntry(this, 0);
    }

    public int Slot { get; }

    public UpstreamHost Host { get; }

    public bool IsUsable => !_closed;

    /// <summary>Requests are waiting for its connect or for their answers.</summary>
    public bool HasRequests => _inFlight.Count > 0 || _queued.Count > 0;

    /// <summary>Connected: a request sent now is written at once instead of waiting for the connect.</summary>
    public bool IsOpen => _open;

    /// <summary>Its output is above the high watermark: senders should pause their clients.</summary>
    public bool IsCongested => _connection is { IsAboveHighWatermark: true };

    /// <summary>Starts the connect; false (and the breaker slot given back) when it fails at once.</summary>
    public bool Connect()
    {
        var worker = _context.Worker;
        var cluster = _pool.Cluster;
        _clusterStats.ConnectionsTotal++;
        _connection = Connection.Connect(worker, Host.Address, this, _context.Listener.Config.BufferLimitBytes, cluster.Tls?.TargetFor(worker, Host, _clusterStats.Tls), out var errno);
        if (_connection is null)
        {
            _closed = true;
            _clusterStats.ConnectFailures++;
            cluster.Connections.Release();
            if (Log.DebugEnabled)
            {
                Log.Debug("rpc upstream connect failed", ("cluster", cluster.Name), ("host", Host.Name), ("errno", errno));
            }

            return false;
        }

        worker.Timers.Arm(_connectTimer, worker.NowMs, cluster.ConnectTimeoutMs);
        _context.UpstreamCreated();
        return true;
    }

    /// <summary>Writes the request now if connected, else holds its bytes until the connect ends.</summary>
    /// <remarks>
    /// Inlined with <see cref="Write"/> into the pool's send: as two calls they were some 40
    /// instructions a request of prologues, saved registers and arguments around a few stores.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Send(RpcRequest<TCodec> request, BlockChain source, Span<byte> bytes)
    {
        // Stored only when it changes (see RpcRequest.Upstream): a stored reference is a write barrier.
        if (!ReferenceEquals(request.Upstream, this))
        {
            request.Upstream = this;
        }

        if (_open)
        {
            Write(request, source, bytes);
            return;
        }

        Hold(request, source);
    }

    /// <summary>The connect is still under way: the request's bytes wait in its own chain.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Hold(RpcRequest<TCodec> request, BlockChain source)
    {
        request.State = RpcRequestState.Queued;
        if (request.Frame != source)
        {
            _context.Run.MovePrefixTo(source, request.Frame, request.Info.Length);
        }

        _queued.Add(request);
    }

    /// <summary>Writes the request: its frame starts <paramref name="source"/> after the open run, and is <paramref name="bytes"/> when those are known.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Write(RpcRequest<TCodec> request, BlockChain source, Span<byte> bytes)
    {
        if (request.HoldsPendingSlot)
        {
            _context.ReleasePendingSlot(request);
        }

        // A oneway call takes an id but no place in the table: nothing will answer it.
        var oneway = request.IsOneway;
        var id = oneway ? NextId() : _inFlight.AddNext(request.Index, _context.Codec.MaxRequestId);
        var run = _context.Run;
        if (!bytes.IsEmpty)
        {
            _context.Codec.TrySetRequestId(bytes, request.Info, id);
        }
        else
        {
            RpcChainFrames.TrySetRequestId(_context.Codec, source, run.OffsetIn(source), request.Info, id);
        }

        // Its bytes join the run of frames bound for this connection: moved to the output (and
        // marked for the early flush) when the run ends, at the latest when the read is handled.
        run.Add(source, _connection!, request.Info.Length);
        _rpcStats.Requests++;
        if (oneway)
        {
            // Nothing will answer it: done as soon as it is on its way.
            SentOneway(request);
            return;
        }

        request.UpstreamId = id;
        request.State = RpcRequestState.InFlight;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SentOneway(RpcRequest<TCodec> request)
    {
        request.Session!.FinishOneway(request);
    }

    /// <summary>The next id not in flight on this connection, wrapping within the protocol's range (never 0).</summary>
    private ulong NextId() => _inFlight.NextId(_context.Codec.MaxRequestId);

    /// <summary>The request ended elsewhere (timeout, its client left): a late response will find nothing.</summary>
    public void Forget(RpcRequest<TCodec> request)
    {
        if (request.State == RpcRequestState.InFlight)
        {
            _inFlight.Remove(request.UpstreamId, out _);
        }
        else if (request.State == RpcRequestState.Queued)
        {
            _queued.Remove(request);
        }

        request.State = RpcRequestState.Free;
    }

    public void AddWaiter(RpcDownstreamSession<TCodec> session) => _waiters.Add(session);

    public void OnConnected(Connection connection)
    {
        _context.Worker.Timers.Cancel(_connectTimer);
        _open = true;
        _clusterStats.ConnectionsActive++;
        Host.ConnectionOpened(_context.Worker.Id);
        // Writing may end a session (a oneway call was its last request), which forgets its other
        // requests: work on a copy and skip whatever is no longer ours.
        _failing.AddRange(_queued);
        _queued.Clear();
        foreach (var request in _failing)
        {
            if (request.State == RpcRequestState.Queued && request.Upstream == this)
            {
                Write(request, request.Frame, default);
            }
        }

        _context.Run.Flush();
        _failing.Clear();
    }

    public void OnConnectFailed(Connection connection, int errno)
    {
        _clusterStats.ConnectFailures++;
        _pool.Cluster.Outliers?.ReportGatewayFailure(Host, _context.Worker.Id);
        if (Log.DebugEnabled)
        {
            Log.Debug("rpc upstream connect failed", ("cluster", _pool.Cluster.Name), ("host", Host.Name), ("errno", errno));
        }

        EndConnect();
    }

    /// <summary>The connect timer.</summary>
    public void OnTimer(TimerEntry timer)
    {
        _clusterStats.ConnectTimeouts++;
        _pool.Cluster.Outliers?.ReportGatewayFailure(Host, _context.Worker.Id);
        if (Log.DebugEnabled)
        {
            Log.Debug("rpc upstream connect timeout", ("cluster", _pool.Cluster.Name), ("host", Host.Name));
        }

        // Closing a connection that is still connecting tells nobody: the rest is done here.
        _connection?.Close(CloseMode.Abort);
        EndConnect();
    }

    /// <summary>The connect failed or was abandoned: the waiting requests never reached an upstream, so they go elsewhere.</summary>
    private void EndConnect()
    {
        _context.Worker.Timers.Cancel(_connectTimer);
        MarkClosed();
        _failing.AddRange(_queued);
        _queued.Clear();
        foreach (var request in _failing)
        {
            if (request.State == RpcRequestState.Queued && request.Upstream == this)
            {
                request.State = RpcRequestState.Free;
                _pool.Retry(request, Host);
            }
        }

        _failing.Clear();
        ResumeWaiters();
    }

    public void OnReadEof(Connection connection) => connection.Close(CloseMode.Abort);

    public void OnAboveHighWatermark(Connection connection)
    {
    }

    public void OnBelowLowWatermark(Connection connection) => ResumeWaiters();

    public void OnClosed(Connection connection, CloseReason reason)
    {
        if (_open)
        {
            _clusterStats.ConnectionsActive--;
            Host.ConnectionClosed(_context.Worker.Id);
            _clusterStats.BytesSent += connection.BytesWritten;
            _clusterStats.BytesReceived += connection.BytesRead;
        }

        _open = false;
        MarkClosed();
        if (_inFlight.Count > 0)
        {
            _rpcStats.ConnectionsDestroyedWithActive++;
            _pool.Cluster.Outliers?.ReportGatewayFailure(Host, _context.Worker.Id);
            if (Log.DebugEnabled)
            {
                Log.Debug("rpc upstream connection lost with requests in flight",
                    ("cluster", _pool.Cluster.Name), ("host", Host.Name), ("requests", _inFlight.Count));
            }
        }

        _inFlight.MoveAllTo(_lost);
        foreach (var record in _lost)
        {
            _failing.Add(_context.Records[record]);
        }

        _lost.Clear();
        foreach (var request in _failing)
        {
            // An error reply may end a session, which forgets its other requests: skip those.
            if (request.State == RpcRequestState.InFlight && request.Upstream == this)
            {
                request.State = RpcRequestState.Free;
                _rpcStats.RequestsLost++;
                request.Session!.Fail(request, RpcErrorKind.ConnectionClosed);
            }
        }

        _failing.Clear();
        ResumeWaiters();
    }

    /// <summary>Closes the connection (the pool is shutting down): anything still in flight gets its error.</summary>
    public void Close()
    {
        if (_open)
        {
            _connection!.Close(CloseMode.Abort);
        }
        else if (!_closed)
        {
            _connection?.Close(CloseMode.Abort);
            EndConnect();
        }
    }

    private void MarkClosed()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _pool.Cluster.Connections.Release();
        _pool.Remove(this);
    }

    private void ResumeWaiters()
    {
        foreach (var session in _waiters)
        {
            session.ResumeFromUpstream();
        }

        _waiters.Clear();
    }
}
