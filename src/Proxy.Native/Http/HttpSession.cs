using MeshEdge.Codecs.Http1;
using MeshEdge.Config.Model;
using MeshEdge.Native.Http.Routing;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;

namespace MeshEdge.Native.Http;

/// <summary>
/// The HTTP/1.1 connection manager for one downstream connection: it reads a request head, routes
/// it, answers locally or leases an upstream connection from the worker's pool, streams the body
/// up and the response down without buffering either whole, and then either waits for the next
/// request on the same connection or closes. One request at a time: a pipelined request waits in
/// the input until the response before it is complete. Everything is reused between requests;
/// the request head's storage is rented for the request and given back after it.
/// </summary>
internal sealed partial class HttpSession : IConnectionHandler, IDrainable, ITimerHandler
{
    private const int DownstreamTimerKind = 0;
    private const int TryTimerKind = 1;

    /// <summary>How long a draining worker keeps an idle keep-alive connection open for one more request.</summary>
    private const long DrainIdleGraceMs = 1000;

    /// <summary>How long a closing connection keeps reading and dropping what the client still sends.</summary>
    private const long LingerMs = 5000;

    private readonly Worker _worker;
    private readonly ListenerRuntime _listener;
    private HttpConfig _config;
    private HttpRouteTable _routes;
    private readonly ListenerStats _stats;
    private Http1ParserLimits _limits;
    private readonly RequestHead _head = new();
    private readonly BlockChain _staging = new();
    private readonly BlockChainWriter _writer;
    private readonly TimerEntry _downstreamTimer;
    private readonly TimerEntry _tryTimer;
    private readonly int _bufferLimit;
    private Connection _downstream = null!;
    private byte[] _clientAddress = [];
    private ulong _clientHash;
    private Phase _phase;
    private Http1RequestParser _requestParser;
    private Http1RequestHead _request;
    private Http1BodyReader _requestBody;
    private CompiledRoute? _route;
    private long _requestStartMs;
    private long _requestStartTicks;
    private bool _keepAlive;
    private bool _requestComplete;
    private bool _requestBodyStarted;
    private bool _draining;
    private bool _downstreamPaused;
    private bool _requestActive;

    // For the access log: set per request, read when it ends.
    private AccessLogs.AccessLogBuffer? _accessLog;
    private ResponseFlags _responseFlags;
    private int _lastStatus;
    private long _bytesReadAtStart;
    private long _bytesSentAtStart;
    private DateTime _requestStartUtc;

    public HttpSession(Worker worker, ListenerRuntime listener)
    {
        _worker = worker;
        _listener = listener;
        _config = listener.Config.Http!;
        _routes = listener.Routes!;
        _stats = worker.Stats.Listeners[listener.Index];
        _limits = new Http1ParserLimits(8 * 1024, _config.MaxRequestHeadersBytes, 100);
        _writer = new BlockChainWriter(worker.Pool) { Target = _staging };
        _downstreamTimer = new TimerEntry(this, DownstreamTimerKind);
        _tryTimer = new TimerEntry(this, TryTimerKind);
        _bufferLimit = listener.Config.BufferLimitBytes;
        _requestParser = new Http1RequestParser(_limits);
        _accessLog = worker.AccessLogs[listener.Index];
    }

    /// <summary>Where the connection is between and within exchanges.</summary>
    private enum Phase : byte
    {
        /// <summary>Between requests: nothing of the next one has arrived.</summary>
        Idle,

        /// <summary>Part of a request head has arrived.</summary>
        ReadingHead,

        /// <summary>A request is routed to an upstream and its response is not complete.</summary>
        Proxying,

        /// <summary>After a 101: raw bytes both ways until either side closes.</summary>
        Tunnel,

        /// <summary>
        /// A reply that ends the connection is out and the write side is shut; whatever the client
        /// still sends is read and dropped until it closes, so that unread bytes do not make the
        /// kernel answer with a reset that destroys the reply before the client has read it.
        /// </summary>
        Lingering,

        /// <summary>The connection is closing; nothing more is read.</summary>
        Closing,
    }

    /// <param name="clientHash">The hash of the client's address, for source_ip hash policies.</param>
    public void Start(int fd, ulong clientHash)
    {
        _clientHash = clientHash;
        _stats.ConnectionsActive++;
        _clientAddress = Network.Interop.PeerAddress.Format(fd);
        _downstream = Connection.Accepted(_worker, fd, this, _bufferLimit, _listener.Tls, _stats.Tls);
        EnterIdle();
    }

    public void OnConnected(Connection connection)
    {
    }

    public void OnConnectFailed(Connection connection, int errno)
    {
    }

    public void OnData(Connection connection)
    {
        ProcessDownstream();
    }

    public void OnReadEof(Connection connection)
    {
        if (_phase is Phase.Idle or Phase.ReadingHead or Phase.Lingering)
        {
            // The client is done: a half-sent head cannot be answered usefully.
            CloseDownstream(CloseMode.FlushWrite);
            return;
        }

        if (_phase == Phase.Tunnel)
        {
            _upstream?.Connection.ShutdownWrite();
            return;
        }

        // Mid-request: finish this exchange (the body may be complete already), then close.
        _keepAlive = false;
        if (!_requestComplete)
        {
            ProcessDownstream();
        }
    }

    public void OnAboveHighWatermark(Connection connection) => PauseUpstream(true);

    public void OnBelowLowWatermark(Connection connection) => PauseUpstream(false);

    public void OnClosed(Connection connection, CloseReason reason)
    {
        _phase = Phase.Closing;
        if (_requestActive && _lastStatus == 0)
        {
            _responseFlags = ResponseFlags.DownstreamClosed;
        }

        if (_upstream is not null)
        {
            // The client is gone: whatever the upstream was doing for it is abandoned.
            ReleaseUpstream(reusable: false);
        }

        EndRequest();

        _staging.Clear(_worker.Pool);
        _stats.BytesReceived += connection.BytesRead;
        _stats.BytesSent += connection.BytesWritten;
        _worker.Timers.Cancel(_downstreamTimer);
        _worker.Timers.Cancel(_tryTimer);
        _stats.ConnectionsActive--;
        _listener.Connections.Release();
    }

    public void OnDrain(Connection connection)
    {
        _draining = true;
        if (_phase == Phase.Idle)
        {
            // Closing an idle keep-alive connection at once races with the request its client may be
            // sending right now, which then meets a reset or an empty reply. A short grace instead: a
            // request that comes is answered with connection: close, and a client silent that long is
            // closed as on its idle timeout (a race every keep-alive client already handles).
            var graceMs = _config.IdleTimeout > TimeSpan.Zero
                ? Math.Min(DrainIdleGraceMs, (long)_config.IdleTimeout.TotalMilliseconds)
                : DrainIdleGraceMs;
            _worker.Timers.Arm(_downstreamTimer, _worker.NowMs, graceMs);
        }
    }

    public void OnTimerFault() => CloseDownstream(CloseMode.Abort);

    public void OnTimer(TimerEntry timer)
    {
        if (timer.Kind == TryTimerKind)
        {
            OnTryTimeout();
            return;
        }

        switch (_phase)
        {
            case Phase.Idle:
                // Nothing is queued, so this is Abort for a plain socket; a TLS one sends close_notify first.
                CloseDownstream(CloseMode.FlushWrite);
                break;
            case Phase.ReadingHead:
                _stats.BadRequests++;
                SendLocalReply(408, "request headers timeout"u8, close: true);
                break;
            case Phase.Proxying:
                OnRouteTimeout();
                break;
            case Phase.Lingering:
                CloseDownstream(CloseMode.Abort);
                break;
        }
    }

    private void EnterIdle()
    {
        _phase = Phase.Idle;
        if (_config.IdleTimeout > TimeSpan.Zero)
        {
            _worker.Timers.Arm(_downstreamTimer, _worker.NowMs, (long)_config.IdleTimeout.TotalMilliseconds);
        }
        else
        {
            _worker.Timers.Cancel(_downstreamTimer);
        }
    }

    private void PauseDownstream(bool pause)
    {
        if (pause != _downstreamPaused && _downstream.State != ConnectionState.Closed)
        {
            _downstreamPaused = pause;
            _downstream.ReadDisable(pause);
        }
    }

    /// <summary>Ends the connection after a reply that says so: at once if the client is done sending, else after lingering.</summary>
    private void CloseAfterReply()
    {
        if (_downstream.ReadEof || _downstream.State != ConnectionState.Open)
        {
            CloseDownstream(CloseMode.FlushWrite);
            return;
        }

        _phase = Phase.Lingering;
        _downstream.Input.Clear(_worker.Pool);
        PauseDownstream(false);
        _downstream.ShutdownWrite();
        _worker.Timers.Arm(_downstreamTimer, _worker.NowMs, LingerMs);
    }

    private void CloseDownstream(CloseMode mode)
    {
        if (_phase == Phase.Closing && mode == CloseMode.FlushWrite)
        {
            return;
        }

        _phase = Phase.Closing;
        _downstream.Close(mode);
    }
}
