using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Config.Model;
using MeshEdge.Native.Http.Http2;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http.Upstream2;

/// <summary>
/// One worker's HTTP/2 connections to one cluster (<c>protocol = "h2"</c>): per host a few
/// multiplexed connections, each an <see cref="Http2Connection"/> in the client role on the worker's
/// loop. A request takes a stream on the first connection with room (the peer's
/// SETTINGS_MAX_CONCURRENT_STREAMS and the cluster's max_concurrent_streams), waits on one being
/// opened, opens another when all are full (up to the cluster's max_connections), or, at that
/// limit, waits for room on one that is up. Connections close when idle past the pool's idle
/// timeout, after max_requests_per_connection streams, after a GOAWAY once their streams are done,
/// and when a keepalive PING goes unanswered.
/// </summary>
internal sealed class Http2UpstreamPool : ITimerHandler, IHttpUpstreamPool
{
    private readonly Worker _worker;
    private readonly ClusterRuntime _cluster;
    private readonly Http2ConnectionOptions _options;
    private readonly Dictionary<UpstreamHost, List<Http2UpstreamConnection>> _connections = [];
    private readonly Stack<Http2UpstreamStream> _free = new();
    private readonly List<Http2UpstreamConnection> _refusing = [];
    private readonly TimerEntry _sweep;
    private readonly TimerEntry _refusals;
    private readonly long _idleTimeoutMs;
    private readonly byte[] _scheme;

    // The listener's buffer limit the last exchange asked for: a connection opened for a rehomed stream gets the same.
    private int _bufferLimit = 1024 * 1024;

    public Http2UpstreamPool(Worker worker, ClusterRuntime cluster)
    {
        _worker = worker;
        _cluster = cluster;
        ClusterStats = worker.Stats.Clusters[cluster.Index];
        H2Stats = ClusterStats.Http2;
        var config = cluster.Config;
        var http2 = config.Http2;
        _options = Http2ConnectionOptions.Default with
        {
            MaxConcurrentStreams = http2.MaxConcurrentStreams,
            InitialStreamWindowSize = http2.InitialStreamWindowSize,
            ConnectionWindowSize = http2.InitialConnectionWindowSize,
            SettingsTimeoutMs = Http2SessionOptions.TimeoutMs(http2.SettingsTimeout),
        };
        _idleTimeoutMs = (long)config.ConnectionPool.IdleTimeout.TotalMilliseconds;
        MaxRequestsPerConnection = config.ConnectionPool.MaxRequestsPerConnection is > 0 and var max ? max : int.MaxValue;
        KeepaliveIntervalMs = (long)http2.KeepaliveInterval.TotalMilliseconds;
        KeepaliveTimeoutMs = (long)http2.KeepaliveTimeout.TotalMilliseconds;
        _scheme = config.Tls is null ? "http"u8.ToArray() : "https"u8.ToArray();
        _sweep = new TimerEntry(this, 0);
        _refusals = new TimerEntry(this, 1);
    }

    public ClusterRuntime Cluster => _cluster;

    /// <summary>Any connection open or connecting (a gone one leaves its list in <see cref="OnGone"/>); its waiting streams are on it.</summary>
    public bool InUse
    {
        get
        {
            foreach (var list in _connections.Values)
            {
                if (list.Count > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The worker's HttpPools slot is cleared by the worker itself; the timers stop here.</summary>
    public void Forget()
    {
        _worker.Timers.Cancel(_sweep);
        _worker.Timers.Cancel(_refusals);
    }

    public ClusterStats ClusterStats { get; }

    public Http2UpstreamStats H2Stats { get; }

    public ReadOnlySpan<byte> Scheme => _scheme;

    public long NowMs => _worker.NowMs;

    public TimerWheel Timers => _worker.Timers;

    public int MaxRequestsPerConnection { get; }

    public long KeepaliveIntervalMs { get; }

    public long KeepaliveTimeoutMs { get; }

    /// <summary>A connection that has opened (or promised) this many streams takes no more (max_requests_per_connection).</summary>
    public bool RequestLimitReached(int streams) => streams >= MaxRequestsPerConnection;

    /// <summary>A stream on a connection to <paramref name="host"/> that has room now, or null.</summary>
    public IUpstreamStream? TryLease(UpstreamHost host, IUpstreamStreamUser user)
    {
        if (!_connections.TryGetValue(host, out var list))
        {
            return null;
        }

        foreach (var connection in list)
        {
            if (connection.CanLease)
            {
                var stream = Rent();
                connection.Lease(stream, user);
                ClusterStats.PoolReused++;
                return stream;
            }
        }

        return null;
    }

    /// <summary>
    /// A stream that waits for a connection: one being opened that is not full of waiters, else a
    /// new one (null with <paramref name="overflow"/> when the cluster's max_connections is reached
    /// and no connection is up to wait on, or with <paramref name="errno"/> when the connect failed at once).
    /// </summary>
    public IUpstreamStream? Connect(UpstreamHost host, IUpstreamStreamUser user, int bufferLimit, out bool overflow, out int errno)
    {
        _bufferLimit = bufferLimit;
        var stream = Rent();
        if (Place(host, stream, user, out overflow, out errno))
        {
            return stream;
        }

        Recycle(stream);
        return null;
    }

    /// <summary>Puts a stream that waits on a connection to <paramref name="host"/>, opening one if it must; false when none can take it.</summary>
    private bool Place(UpstreamHost host, Http2UpstreamStream stream, IUpstreamStreamUser user, out bool overflow, out int errno)
    {
        errno = 0;
        overflow = false;
        var list = ConnectionsTo(host);
        foreach (var connection in list)
        {
            if (!connection.Ready && connection.CanQueue)
            {
                connection.Enqueue(stream, user);
                return true;
            }
        }

        if (!_cluster.Connections.TryAcquire())
        {
            // At the breaker: wait for room on the least loaded connection that is up, if any.
            Http2UpstreamConnection? least = null;
            foreach (var connection in list)
            {
                if (connection.CanQueue && (least is null || connection.StreamCount < least.StreamCount))
                {
                    least = connection;
                }
            }

            if (least is not null)
            {
                least.Enqueue(stream, user);
                return true;
            }

            overflow = true;
            ClusterStats.ConnectionsOverflow++;
            return false;
        }

        ClusterStats.ConnectionsTotal++;
        H2Stats.ConnectionsTotal++;
        var fresh = new Http2UpstreamConnection(this, host, _options, _worker.Pool);
        var socket = Connection.Connect(_worker, host.Address, fresh, _bufferLimit, _cluster.Tls?.TargetFor(_worker, host, ClusterStats.Tls), out errno);
        if (socket is null)
        {
            ClusterStats.ConnectFailures++;
            _cluster.Connections.Release();
            fresh.Codec.Dispose();
            return false;
        }

        fresh.Connection = socket;
        list.Add(fresh);
        fresh.Enqueue(stream, user);
        return true;
    }

    public void Release(IUpstreamStream stream, bool clean)
    {
        var h2 = (Http2UpstreamStream)stream;
        h2.TakeUser();
        if (h2.Owner is { } owner)
        {
            owner.Release(h2, clean);
        }
        else
        {
            Recycle(h2);
        }
    }

    /// <summary>
    /// A waiter whose connection went away before it could send: the same stream (its exchange
    /// holds it) moves to a connection with room, or waits on another; a failed connect when none can take it.
    /// </summary>
    internal void Rehome(Http2UpstreamStream stream)
    {
        var user = stream.TakeUser()!;
        var host = stream.Host;
        stream.Clear();
        if (_connections.TryGetValue(host, out var list))
        {
            foreach (var connection in list)
            {
                if (connection.CanLease)
                {
                    connection.Lease(stream, user);
                    user.OnUpstreamConnected(stream);
                    return;
                }
            }
        }

        if (!Place(host, stream, user, out _, out _))
        {
            user.OnUpstreamConnectFailed(stream);
            Recycle(stream);
        }
    }

    internal Http2UpstreamStream Rent() => _free.TryPop(out var stream) ? stream : new Http2UpstreamStream(_worker.Pool);

    internal void Recycle(Http2UpstreamStream stream)
    {
        stream.Clear();
        _free.Push(stream);
    }

    internal void OnConnected(Http2UpstreamConnection connection)
    {
        ClusterStats.ConnectionsActive++;
        H2Stats.ConnectionsActive++;
        connection.Host.ConnectionOpened(_worker.Id);
    }

    internal void OnConnectFailed(Http2UpstreamConnection connection)
    {
        ClusterStats.ConnectFailures++;
        OnGone(connection, connected: false);
    }

    /// <summary>The socket is gone: its breaker slot is free and the pool forgets it.</summary>
    internal void OnGone(Http2UpstreamConnection connection, bool connected)
    {
        ClusterStats.BytesSent += connection.Connection.BytesWritten;
        ClusterStats.BytesReceived += connection.Connection.BytesRead;
        if (connected)
        {
            ClusterStats.ConnectionsActive--;
            H2Stats.ConnectionsActive--;
            connection.Host.ConnectionClosed(_worker.Id);
        }

        _cluster.Connections.Release();
        if (_connections.TryGetValue(connection.Host, out var list))
        {
            list.Remove(connection);
        }
    }

    /// <summary>A connection has no stream left: the sweep closes it once idle past the timeout.</summary>
    internal void OnIdle()
    {
        if (!_sweep.IsArmed)
        {
            _worker.Timers.Arm(_sweep, _worker.NowMs, Math.Max(_idleTimeoutMs / 4, 100));
        }
    }

    internal void ScheduleRefusals(Http2UpstreamConnection connection)
    {
        _refusing.Add(connection);
        if (!_refusals.IsArmed)
        {
            _worker.Timers.Arm(_refusals, _worker.NowMs, 0);
        }
    }

    public void OnTimer(TimerEntry timer)
    {
        if (timer.Kind == 1)
        {
            foreach (var connection in _refusing.ToArray())
            {
                connection.ReportRefused();
            }

            _refusing.Clear();
            return;
        }

        var now = _worker.NowMs;
        var idle = false;
        foreach (var list in _connections.Values)
        {
            for (var i = list.Count - 1; i >= 0; i--)
            {
                var connection = list[i];
                if (connection.StreamCount > 0 || connection.IdleSinceMs < 0)
                {
                    continue;
                }

                if (connection.Host.IsRemoved || now - connection.IdleSinceMs >= _idleTimeoutMs)
                {
                    connection.Retire();
                }
                else
                {
                    idle = true;
                }
            }
        }

        if (idle)
        {
            _worker.Timers.Arm(_sweep, now, Math.Max(_idleTimeoutMs / 4, 100));
        }
    }

    public void DrainRemovedHosts()
    {
        foreach (var (host, list) in _connections)
        {
            if (host.IsRemoved)
            {
                RetireAll(list, idleOnly: false);
            }
        }
    }

    public void CloseIdle()
    {
        foreach (var list in _connections.Values)
        {
            RetireAll(list, idleOnly: false);
        }

        _worker.Timers.Cancel(_sweep);
    }

    /// <summary>Every connection takes no new stream; those with none close now, the others when their last one ends.</summary>
    private static void RetireAll(List<Http2UpstreamConnection> list, bool idleOnly)
    {
        foreach (var connection in list.ToArray())
        {
            if (connection.StreamCount == 0)
            {
                connection.Retire();
            }
            else if (!idleOnly)
            {
                connection.StopNewStreams();
            }
        }
    }

    private List<Http2UpstreamConnection> ConnectionsTo(UpstreamHost host)
    {
        if (!_connections.TryGetValue(host, out var list))
        {
            list = [];
            _connections[host] = list;
        }

        return list;
    }
}
