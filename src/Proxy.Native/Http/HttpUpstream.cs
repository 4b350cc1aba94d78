using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http;

/// <summary>
/// One upstream HTTP/1.1 connection, its place in its pool, and the HTTP/1.1 client codec for the
/// request it carries (Envoy's Http1 ClientConnection): it writes the neutral request with HTTP/1
/// framing and reads the response back into neutral events. It is always the connection's handler:
/// while leased it reports to its <see cref="User"/>; while idle in the pool any event (bytes nobody
/// asked for, a close) retires it.
/// </summary>
internal sealed partial class HttpUpstream : IConnectionHandler, IDrainable, IUpstreamStream
{
    private readonly HttpConnectionPool _pool;
    private readonly BlockPool _blocks;
    private readonly BlockChain _staging = new();
    private readonly BlockChainWriter _writer;
    private bool _paused;

    public HttpUpstream(HttpConnectionPool pool, UpstreamHost host, BlockPool blocks)
    {
        _pool = pool;
        _blocks = blocks;
        _writer = new BlockChainWriter(blocks) { Target = _staging };
        Host = host;
    }

    public Connection Connection { get; set; } = null!;

    public UpstreamHost Host { get; }

    public bool Connected { get; private set; }

    /// <summary>Requests sent on this connection so far (max_requests_per_connection).</summary>
    public int Requests { get; private set; }

    /// <summary>Set while leased; null while idle in the pool.</summary>
    public IUpstreamStreamUser? User { get; set; }

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
        User?.OnUpstreamConnectFailed(this);
    }

    public void OnData(Connection connection)
    {
        if (User is not null)
        {
            ReadResponse();
        }
        else
        {
            // An idle HTTP/1.1 connection has no request outstanding: any byte is a protocol error.
            connection.Close(CloseMode.Abort);
        }
    }

    public void OnReadEof(Connection connection)
    {
        if (User is { } user && (_tunnel || (_headDone && !_responseComplete && _response.Framing.Kind == Codecs.Http1.Http1BodyKind.UntilClose)))
        {
            // A tunnel's half-close goes on; a body that runs to the close has ended.
            _responseComplete = !_tunnel;
            user.OnResponseEnd(this, null);
            return;
        }

        connection.Close(CloseMode.Abort);
    }

    public void OnAboveHighWatermark(Connection connection) => User?.OnUpstreamWatermark(this, true);

    public void OnBelowLowWatermark(Connection connection) => User?.OnUpstreamWatermark(this, false);

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
        _staging.Clear(_blocks);
        EndMessages();
        User?.OnUpstreamReset(this, _answered);
    }

    public void PauseReading(bool pause)
    {
        if (pause != _paused && Connection.State != ConnectionState.Closed)
        {
            _paused = pause;
            Connection.ReadDisable(pause);
        }
    }

    /// <summary>Leaving its exchange: reading resumes (an idle connection must hear a close) and the response's storage goes back.</summary>
    internal void Detach()
    {
        User = null;
        PauseReading(false);
        EndMessages();
    }

    /// <summary>Whether the exchange just ended left the connection fit for another request (HTTP/1.1 keep-alive rules).</summary>
    internal bool ExchangeEndedCleanly => _headDone && _responseComplete && _requestComplete && _response.KeepAlive && !_tunnel;
}
