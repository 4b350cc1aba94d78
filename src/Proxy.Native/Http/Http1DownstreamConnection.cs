using MeshEdge.Codecs.Http1;
using MeshEdge.Config.Model;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;

namespace MeshEdge.Native.Http;

/// <summary>
/// The HTTP/1.1 codec of one downstream connection (Envoy's Http1 ServerConnection with the
/// connection manager's per-connection part): it reads request heads and bodies, hands each request
/// to its <see cref="HttpExchange"/> as version-neutral events, and writes what the exchange answers
/// with HTTP/1 framing; it owns keep-alive, pipelining, the 101 tunnel, lingering and drain. One
/// request at a time: a pipelined request waits in the input until the response before it is
/// complete. Everything is reused between requests; the head's storage is rented per request.
/// </summary>
internal sealed partial class Http1DownstreamConnection : IConnectionHandler, IDrainable, ITimerHandler
{
    /// <summary>How long a draining worker keeps an idle keep-alive connection open for one more request.</summary>
    private const long DrainIdleGraceMs = 1000;

    /// <summary>How long a closing connection keeps reading and dropping what the client still sends.</summary>
    private const long LingerMs = 5000;

    private readonly Worker _worker;
    private readonly ListenerRuntime _listener;
    private ListenerRuntime _current;
    private HttpConfig _config;
    private readonly ListenerStats _stats;
    private Http1ParserLimits _limits;
    private readonly TimerEntry _timer;
    private readonly Http1RequestLeases _leases;
    private Http1RequestLease? _lease;
    private readonly int _bufferLimit;
    private Connection _downstream = null!;
    private byte[] _clientAddress = [];
    private ulong _clientHash;
    private Phase _phase;
    private Http1RequestHead _request;
    private long _requestStartTicks;
    private bool _keepAlive;
    private bool _requestComplete;
    private bool _draining;
    private bool _paused;
    private bool _processing;

    public Http1DownstreamConnection(Worker worker, ListenerRuntime listener)
    {
        _worker = worker;
        _listener = listener;
        _current = listener;
        _config = listener.Config.Http!;
        _stats = worker.Stats.Listeners[listener.Index];
        _limits = new Http1ParserLimits(8 * 1024, _config.MaxRequestHeadersBytes, 100);
        _timer = new TimerEntry(this, 0);
        _bufferLimit = listener.Config.BufferLimitBytes;
        _leases = worker.Http1Leases;
    }

    /// <summary>The lease of the request in progress (from its first byte until its exchange is over).</summary>
    private Http1RequestLease Lease => _lease!;

    /// <summary>Where the connection is between and within requests.</summary>
    private enum Phase : byte
    {
        /// <summary>Between requests: nothing of the next one has arrived.</summary>
        Idle,

        /// <summary>Part of a request head has arrived.</summary>
        ReadingHead,

        /// <summary>A request is with its exchange and its response is not complete.</summary>
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
        _downstream = Connection.Accepted(_worker, fd, this, _bufferLimit, _stats, _listener.Tls);
        EnterIdle();
    }

    public void OnConnectFailed(Connection connection, int errno)
    {
    }

    public void OnData(Connection connection) => ProcessInput();

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
            Lease.Exchange.OnRequestEnd(null);
            return;
        }

        // Mid-request: finish this exchange (the body may be complete already), then close.
        _keepAlive = false;
        if (!_requestComplete)
        {
            ProcessInput();
        }
    }

    // Between requests no exchange is lent: the last response's bytes draining need no upstream held back.
    public void OnAboveHighWatermark(Connection connection) => _lease?.Exchange.OnDownstreamWatermark(true);

    public void OnBelowLowWatermark(Connection connection) => _lease?.Exchange.OnDownstreamWatermark(false);

    public void OnClosed(Connection connection, CloseReason reason)
    {
        _phase = Phase.Closing;
        _lease?.Exchange.OnDownstreamReset();
        ReturnLease();
        _worker.Timers.Cancel(_timer);
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
            _worker.Timers.Arm(_timer, _worker.NowMs, graceMs);
        }
    }

    public void OnTimerFault() => CloseDownstream(CloseMode.Abort);

    public void OnTimer(TimerEntry timer)
    {
        switch (_phase)
        {
            case Phase.Idle:
                // Nothing is queued, so this is Abort for a plain socket; a TLS one sends close_notify first.
                CloseDownstream(CloseMode.FlushWrite);
                break;
            case Phase.ReadingHead:
                Lease.Exchange.Reject(408, "request headers timeout"u8);
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
            _worker.Timers.Arm(_timer, _worker.NowMs, (long)_config.IdleTimeout.TotalMilliseconds);
        }
        else
        {
            _worker.Timers.Cancel(_timer);
        }
    }

    /// <summary>A request begins (its first byte has come): the worker lends its exchange and storage.</summary>
    private void TakeLease() => _lease ??= _leases.Rent(_listener, this);

    /// <summary>
    /// The exchange is over, or the connection closed: the head's storage goes back to its pool, the
    /// staging chain's blocks to the worker's, and the lease to the worker, so an idle connection holds none.
    /// </summary>
    private void ReturnLease()
    {
        if (_lease is not { } lease)
        {
            return;
        }

        _lease = null;
        lease.Head.End();
        lease.Trailers.End();
        lease.Staging.Clear(_worker.Pool);
        _leases.Return(lease);
    }

    /// <summary>Ends the connection after a reply that says so: at once if the client is done sending, else after lingering.</summary>
    private void CloseAfterReply()
    {
        if (_downstream.ReadEof || _downstream.State != ConnectionState.Open || ClientSendsNothingMore)
        {
            CloseDownstream(CloseMode.FlushWrite);
            return;
        }

        _phase = Phase.Lingering;
        _downstream.Input.Clear(_worker.Pool);
        PauseReading(false);
        _downstream.ShutdownWrite();
        _worker.Timers.Arm(_timer, _worker.NowMs, LingerMs);
    }

    /// <summary>
    /// The client asked for the close itself (HTTP/1.0 without keep-alive, or connection: close), its
    /// request was read whole, and nothing of it is left unread: no byte in the input, none in TLS's
    /// buffers, none announced by the socket since a read last found it drained. A close then
    /// cannot make the kernel answer unread bytes with a reset, so the connection closes at once
    /// (as nginx and HAProxy do) instead of shutting its write side and waiting for the client's
    /// FIN: one wake-up and two system calls fewer per one-request connection. Any doubt (a body
    /// not read to its end, a pipelined request, bytes waiting, a keep-alive client closed by a
    /// drain or by the upstream's answer, which may be sending its next request) lingers.
    /// </summary>
    private bool ClientSendsNothingMore =>
        _requestComplete && !_request.KeepAlive && !_downstream.MayHaveUnreadInput;

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
