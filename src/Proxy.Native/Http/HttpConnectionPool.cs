using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http;

/// <summary>
/// One worker's HTTP/1.1 connections to one cluster: idle keep-alive connections per host, reused
/// newest first (warm, and the oldest time out), closed after the idle timeout by a sweep that runs
/// only while something is idle. A connection is reused only when its last exchange ended cleanly:
/// the exchange says both messages completed (<see cref="Release"/>) and the connection's codec
/// agrees (keep-alive on both sides, nothing extra read). max_idle_per_host bounds the idle
/// connections that stay unused for a whole sweep period, not those a release leaves idle for a
/// moment: many streams in flight (h2 clients) release a batch of connections in one turn and lease
/// them again in the next, and closing the ones over the cap then reopened as many per turn (0.38
/// connects per request under 128 streams, with max_idle_per_host = 64).
/// </summary>
internal sealed class HttpConnectionPool : ITimerHandler, IHttpUpstreamPool
{
    private readonly Worker _worker;
    private readonly ClusterRuntime _cluster;
    private readonly ClusterStats _stats;
    private readonly Dictionary<UpstreamHost, HttpIdleConnections> _idle = [];
    private readonly TimerEntry _sweep;
    private readonly long _idleTimeoutMs;
    private readonly int _maxIdle;
    private readonly int _maxRequests;
    private int _idleCount;

    // Connections made and not yet gone (idle, leased or connecting): the worker lets go of a retired cluster at 0.
    private int _connections;

    public HttpConnectionPool(Worker worker, ClusterRuntime cluster)
    {
        _worker = worker;
        _cluster = cluster;
        _stats = worker.Stats.Clusters[cluster.Index];
        _sweep = new TimerEntry(this, 0);
        var pool = cluster.Config.ConnectionPool;
        _idleTimeoutMs = (long)pool.IdleTimeout.TotalMilliseconds;
        _maxIdle = pool.MaxIdlePerHost;
        _maxRequests = pool.MaxRequestsPerConnection;
    }

    public ClusterRuntime Cluster => _cluster;

    /// <summary>How often idle connections are looked at: timed out, or a surplus unused since the last look.</summary>
    private long SweepPeriodMs => Math.Max(_idleTimeoutMs / 4, 100);

    public int IdleCount => _idleCount;

    public bool InUse => _connections > 0;

    /// <summary>The worker's HttpPools slot is cleared by the worker itself; the sweep stops here.</summary>
    public void Forget() => _worker.Timers.Cancel(_sweep);

    /// <summary>A connected idle connection to <paramref name="host"/> leased to <paramref name="user"/>, or null.</summary>
    public IUpstreamStream? TryLease(UpstreamHost host, IUpstreamStreamUser user)
    {
        if (!_idle.TryGetValue(host, out var idle))
        {
            return null;
        }

        while (idle.TryPop(out var upstream))
        {
            _idleCount--;
            if (upstream.Connection.State != ConnectionState.Open || upstream.Connection.ReadEof)
            {
                continue;
            }

            upstream.User = user;
            _stats.PoolReused++;
            return upstream;
        }

        return null;
    }

    /// <summary>
    /// Starts a new connection to <paramref name="host"/> for <paramref name="user"/>. Null with
    /// <paramref name="overflow"/> set when the cluster's circuit breaker is open, or with
    /// <paramref name="errno"/> set when the connect failed at once.
    /// </summary>
    public IUpstreamStream? Connect(UpstreamHost host, IUpstreamStreamUser user, int bufferLimit, out bool overflow, out int errno)
    {
        errno = 0;
        overflow = !_cluster.Connections.TryAcquire();
        if (overflow)
        {
            _stats.ConnectionsOverflow++;
            return null;
        }

        _stats.ConnectionsTotal++;
        var upstream = new HttpUpstream(this, host, _worker.Pool) { User = user };
        var connection = Connection.Connect(_worker, host.Address, upstream, bufferLimit, _cluster.Tls?.TargetFor(_worker, host, _stats.Tls), out errno);
        if (connection is null)
        {
            _stats.ConnectFailures++;
            _cluster.Connections.Release();
            return null;
        }

        upstream.Connection = connection;
        _connections++;
        return upstream;
    }

    /// <summary>The exchange is done with <paramref name="stream"/>: keep it for reuse when its exchange ended cleanly and there is room, else close it.</summary>
    public void Release(IUpstreamStream stream, bool clean)
    {
        var upstream = (HttpUpstream)stream;
        var reusable = clean && upstream.ExchangeEndedCleanly;
        upstream.Detach();
        var connection = upstream.Connection;
        if (!reusable || connection.State != ConnectionState.Open || connection.ReadEof || !connection.Input.IsEmpty
            || _worker.IsDraining || upstream.Host.IsRemoved || _maxIdle == 0
            || (_maxRequests > 0 && upstream.Requests >= _maxRequests))
        {
            if (reusable && connection.State == ConnectionState.Open)
            {
                Retire(upstream);
            }
            else
            {
                Discard(upstream);
            }

            return;
        }

        upstream.IdleSinceMs = _worker.NowMs;
        IdleOf(upstream.Host).Push(upstream);
        _idleCount++;
        if (!_sweep.IsArmed)
        {
            _worker.Timers.Arm(_sweep, _worker.NowMs, SweepPeriodMs);
        }
    }

    /// <summary>Closes a connection nobody will use again, whatever state it is in.</summary>
    public void Discard(HttpUpstream upstream)
    {
        upstream.Detach();
        var connection = upstream.Connection;
        if (connection.State == ConnectionState.Connecting)
        {
            // An abandoned connect is closed silently, so its accounting is done here. It is not a
            // connect failure: the session gave up on it (a connect timeout, which the session counts
            // as one, or a client that left), the host did not refuse it.
            connection.Close(CloseMode.Abort);
            OnGone(upstream, connected: false);
            return;
        }

        connection.Close(CloseMode.Abort);
    }

    internal void OnConnected(HttpUpstream upstream)
    {
        _stats.ConnectionsActive++;
        upstream.Host.ConnectionOpened(_worker.Id);
    }

    /// <summary>The host refused or failed the connect: counted once, then gone like any other.</summary>
    internal void OnConnectFailed(HttpUpstream upstream)
    {
        _stats.ConnectFailures++;
        OnGone(upstream, connected: false);
    }

    /// <summary>The connection closed, failed or was abandoned while connecting: its circuit-breaker slot is free again.</summary>
    internal void OnGone(HttpUpstream upstream, bool connected)
    {
        _stats.BytesSent += upstream.Connection.BytesWritten;
        _stats.BytesReceived += upstream.Connection.BytesRead;
        if (connected)
        {
            _stats.ConnectionsActive--;
            upstream.Host.ConnectionClosed(_worker.Id);
        }

        _cluster.Connections.Release();
        _connections--;
    }

    /// <summary>
    /// Closes a connection whose last exchange ended cleanly (idle, or not kept): a TLS connection
    /// sends close_notify first, as nginx and Envoy do; nothing else is queued on it.
    /// </summary>
    internal void Retire(HttpUpstream upstream)
    {
        upstream.User = null;
        upstream.Connection.Close(CloseMode.FlushWrite);
    }

    private HttpIdleConnections IdleOf(UpstreamHost host)
    {
        if (!_idle.TryGetValue(host, out var idle))
        {
            idle = new HttpIdleConnections();
            _idle[host] = idle;
        }

        return idle;
    }

    public void OnTimer(TimerEntry timer)
    {
        var now = _worker.NowMs;
        _idleCount = 0;
        foreach (var (host, idle) in _idle)
        {
            // A host gone from the cluster keeps none: its connections drain away here.
            _idleCount += idle.Sweep(this, now, _idleTimeoutMs, _maxIdle, removeAll: host.IsRemoved);
            if (idle.Count == 0 && host.IsRemoved)
            {
                _idle.Remove(host);
            }
        }

        if (_idleCount > 0)
        {
            _worker.Timers.Arm(_sweep, now, SweepPeriodMs);
        }
    }

    public void DrainRemovedHosts()
    {
        foreach (var (host, idle) in _idle)
        {
            if (!host.IsRemoved)
            {
                continue;
            }

            _idleCount -= idle.Count;
            while (idle.TryPop(out var upstream))
            {
                Retire(upstream);
            }

            _idle.Remove(host);
        }
    }

    /// <summary>Closes every idle connection (worker drain).</summary>
    public void CloseIdle()
    {
        foreach (var idle in _idle.Values)
        {
            while (idle.TryPop(out var upstream))
            {
                Retire(upstream);
            }
        }

        _idleCount = 0;
        _worker.Timers.Cancel(_sweep);
    }
}
