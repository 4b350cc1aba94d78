using MeshEdge.Native.Network;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http;

/// <summary>
/// One upstream HTTP/1.1 connection and its place in its pool. It is always the connection's
/// handler: while leased it passes events to its <see cref="User"/>; while idle in the pool any
/// event (bytes nobody asked for, a close) retires it.
/// </summary>
internal sealed class HttpUpstream : IConnectionHandler, IDrainable
{
    private readonly HttpConnectionPool _pool;

    public HttpUpstream(HttpConnectionPool pool, UpstreamHost host)
    {
        _pool = pool;
        Host = host;
    }

    public Connection Connection { get; set; } = null!;

    public UpstreamHost Host { get; }

    public bool Connected { get; private set; }

    /// <summary>Requests sent on this connection so far (max_requests_per_connection).</summary>
    public int Requests { get; set; }

    /// <summary>Set while leased; null while idle in the pool.</summary>
    public IHttpUpstreamUser? User { get; set; }

    /// <summary>When it went back to the pool, for the idle timeout.</summary>
    public long IdleSinceMs { get; set; }

    public void OnConnected(Connection connection)
    {
        Connected = true;
        _pool.OnConnected(this);
        User?.OnUpstreamConnected(this);
    }

    public void OnConnectFailed(Connection connection, int errno)
    {
        _pool.OnConnectFailed(this);
        User?.OnUpstreamConnectFailed(this, errno);
    }

    public void OnData(Connection connection)
    {
        if (User is { } user)
        {
            user.OnUpstreamData(this);
        }
        else
        {
            // An idle HTTP/1.1 connection has no request outstanding: any byte is a protocol error.
            connection.Close(CloseMode.Abort);
        }
    }

    public void OnReadEof(Connection connection)
    {
        if (User is { } user)
        {
            user.OnUpstreamReadEof(this);
        }
        else
        {
            connection.Close(CloseMode.Abort);
        }
    }

    public void OnAboveHighWatermark(Connection connection) => User?.OnUpstreamAboveHighWatermark(this);

    public void OnBelowLowWatermark(Connection connection) => User?.OnUpstreamBelowLowWatermark(this);

    /// <summary>An idle pooled connection ends with the drain; a leased one ends with its exchange.</summary>
    public void OnDrain(Connection connection)
    {
        if (User is null)
        {
            _pool.Discard(this);
        }
    }

    public void OnClosed(Connection connection, CloseReason reason)
    {
        var wasConnected = Connected;
        Connected = false;
        _pool.OnGone(this, wasConnected);
        User?.OnUpstreamClosed(this, reason);
    }
}
