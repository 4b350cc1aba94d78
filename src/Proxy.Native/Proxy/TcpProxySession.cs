using MeshEdge.Native.Hosting;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Proxy;

/// <summary>
/// The L4 proxy: one downstream connection, one upstream connection to a host the cluster's balancer
/// picks (consistent-hash policies hash the client's IP),
/// bytes moved both ways without copying. Downstream reading waits until the upstream is connected
/// (as in Envoy's tcp_proxy), each side's output watermarks pause the other side's reading, and a
/// half-close on either side is forwarded to the other.
/// </summary>
internal sealed partial class TcpProxySession : IConnectionHandler, ITimerHandler
{
    private const int ConnectTimerKind = 0;
    private const int IdleTimerKind = 1;

    private readonly Worker _worker;
    private readonly ListenerRuntime _listener;
    private readonly ClusterRuntime _cluster;
    private readonly ListenerStats _listenerStats;
    private readonly ClusterStats _clusterStats;
    private readonly TimerEntry _connectTimer;
    private readonly TimerEntry _idleTimer;
    private readonly long _idleTimeoutMs;
    private readonly int _bufferLimit;
    private readonly ulong _clientHash;
    private readonly ClusterBalancer _balancer;
    private UpstreamHost? _upstreamHost;
    private Connection _downstream = null!;
    private Connection? _upstream;
    private bool _upstreamConnected;

    // A slot of the cluster's max_pending_requests, held from the first connect until one succeeds.
    private bool _holdsPendingSlot;
    private int _attempts;
    private bool _finished;

    // The host of the last attempt, kept after its release so that the next attempt avoids it.
    private UpstreamHost? _failedHost;

    /// <param name="clusterIndex">The cluster to proxy to: the listener's own, or the one its SNI routes picked.</param>
    public TcpProxySession(Worker worker, ListenerRuntime listener, ulong clientHash, int clusterIndex)
    {
        _clientHash = clientHash;
        _worker = worker;
        _listener = listener;
        _cluster = worker.Cluster(clusterIndex);
        _listenerStats = worker.Stats.Listeners[listener.Index];
        _clusterStats = worker.Stats.Clusters[clusterIndex];
        _connectTimer = new TimerEntry(this, ConnectTimerKind);
        _idleTimer = new TimerEntry(this, IdleTimerKind);
        _idleTimeoutMs = (long)listener.Config.TcpProxy.IdleTimeout.TotalMilliseconds;
        _bufferLimit = listener.Config.BufferLimitBytes;
        _balancer = worker.Balancers[_cluster.Index];
    }

    public void Start(int fd)
    {
        _listenerStats.ConnectionsActive++;
        _downstream = Connection.Accepted(_worker, fd, this, _bufferLimit, _listenerStats);
        _downstream.ReadDisable(true);
        if (_idleTimeoutMs > 0)
        {
            _worker.Timers.Arm(_idleTimer, _worker.NowMs, _idleTimeoutMs);
        }

        ConnectNextHost();
    }

    public void OnConnected(Connection connection)
    {
        _worker.Timers.Cancel(_connectTimer);
        ReleasePendingSlot();
        _upstreamConnected = true;
        _clusterStats.ConnectionsActive++;
        if (_upstreamHost is { } host)
        {
            host.ConnectionOpened(_worker.Id);
            _cluster.Outliers?.ReportSuccess(host, _worker.Id);
        }
        _downstream.ReadDisable(false);
    }

    public void OnConnectFailed(Connection connection, int errno)
    {
        if (connection != _upstream)
        {
            return;
        }

        _worker.Timers.Cancel(_connectTimer);
        _clusterStats.ConnectFailures++;
        ReportConnectFailure();
        _upstream = null;
        if (Log.DebugEnabled)
        {
            Log.Debug("upstream connect failed", ("cluster", _cluster.Name), ("errno", errno));
        }

        ConnectNextHost();
    }

    public void OnData(Connection connection)
    {
        var length = connection.Input.Length;
        if (connection == _downstream)
        {
            _clusterStats.BytesSent += length;
            _upstream!.Write(connection.Input);
        }
        else
        {
            _clusterStats.BytesReceived += length;
            _downstream.Write(connection.Input);
        }
    }

    public void OnReadEof(Connection connection)
    {
        var peer = PeerOf(connection);
        if (peer is null)
        {
            return;
        }

        if (_downstream.ReadEof && _upstream!.ReadEof)
        {
            // Both directions ended: flush what is left each way, then close.
            _downstream.Close(CloseMode.FlushWrite);
            _upstream?.Close(CloseMode.FlushWrite);
            TryFinish();
            return;
        }

        peer.ShutdownWrite();
    }

    public void OnAboveHighWatermark(Connection connection) => PeerOf(connection)?.ReadDisable(true);

    public void OnBelowLowWatermark(Connection connection) => PeerOf(connection)?.ReadDisable(false);

    public void OnClosed(Connection connection, CloseReason reason)
    {
        if (connection == _upstream && _upstreamConnected)
        {
            _upstreamConnected = false;
            _clusterStats.ConnectionsActive--;
            _upstreamHost?.ConnectionClosed(_worker.Id);
        }

        // Whatever the peer still has queued is delivered before it closes too.
        PeerOf(connection)?.Close(CloseMode.FlushWrite);
        TryFinish();
    }

    public void OnTimerFault()
    {
        _downstream.Close(CloseMode.Abort);
        _upstream?.Close(CloseMode.Abort);
        TryFinish();
    }

    public void OnTimer(TimerEntry timer)
    {
        if (timer.Kind == ConnectTimerKind)
        {
            _clusterStats.ConnectTimeouts++;
            ReportConnectFailure();
            var abandoned = _upstream;
            _upstream = null;
            abandoned?.Close(CloseMode.Abort);
            if (Log.DebugEnabled)
            {
                Log.Debug("upstream connect timeout", ("cluster", _cluster.Name));
            }

            ConnectNextHost();
            return;
        }

        // Idle: activity is recorded by the connections; the timer only looks when it fires.
        var lastActivity = Math.Max(_downstream.LastActivityMs, _upstream?.LastActivityMs ?? 0);
        var idleFor = _worker.NowMs - lastActivity;
        if (idleFor < _idleTimeoutMs)
        {
            _worker.Timers.Arm(_idleTimer, _worker.NowMs, _idleTimeoutMs - idleFor);
            return;
        }

        if (Log.DebugEnabled)
        {
            Log.Debug("idle timeout", ("listener", _listener.Name));
        }

        _downstream.Close(CloseMode.Abort);
        _upstream?.Close(CloseMode.Abort);
        TryFinish();
    }

    private Connection? PeerOf(Connection connection)
    {
        var peer = connection == _downstream ? _upstream : _downstream;
        return peer is { State: not ConnectionState.Closed } ? peer : null;
    }

    private void TryFinish()
    {
        if (_finished || _downstream.State != ConnectionState.Closed || _upstream is { State: not ConnectionState.Closed })
        {
            return;
        }

        _finished = true;
        ReleasePendingSlot();
        ReleaseHost();
        _worker.Timers.Cancel(_connectTimer);
        _worker.Timers.Cancel(_idleTimer);
        _listenerStats.ConnectionsActive--;
        _listener.Connections.Release();
    }
}
