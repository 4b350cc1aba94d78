using System.Diagnostics;
using MeshEdge.Config.Model;
using MeshEdge.Native.AccessLogs;
using MeshEdge.Native.Http.Routing;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;

namespace MeshEdge.Native.Http;

/// <summary>
/// One request's journey, whichever HTTP version the client speaks (Envoy's ActiveStream with its
/// router filter): route, cluster pick, upstream lease, retries (the route's policy and the safe
/// default ones), per-try and route timeouts, circuit breakers, local replies, stats and the access
/// log line. It reads the request as version-neutral events and answers through an
/// <see cref="IDownstreamStream"/>, never with the downstream's bytes. Routes, the listener's HTTP
/// settings and its access log are read from the <see cref="ListenerRuntime"/> once per request
/// (<see cref="OnRequestHead"/>), so a reload reaches the next request. Pooled per worker and
/// reused for the next request: with its HTTP/2 stream, or lent to an HTTP/1 connection per request.
/// </summary>
internal sealed partial class HttpExchange : ITimerHandler
{
    private const int RouteTimerKind = 0;
    private const int TryTimerKind = 1;

    private readonly Worker _worker;
    private ListenerRuntime _listener;
    private IDownstreamStream _downstream;
    private ListenerStats _stats;
    private readonly TimerEntry _routeTimer;
    private readonly TimerEntry _tryTimer;
    private int _bufferLimit;
    private HttpConfig _config;
    private Phase _phase;
    private RequestHead _head = null!;
    private CompiledRoute? _route;
    private long _requestStartTicks;

    // For the access log: set per request, read when it ends.
    private AccessLogBuffer? _accessLog;
    private ResponseFlags _responseFlags;
    private int _lastStatus;
    private long _bytesReceived;
    private long _bytesSent;

    public HttpExchange(Worker worker, ListenerRuntime listener, IDownstreamStream downstream)
    {
        _worker = worker;
        _listener = listener;
        _downstream = downstream;
        _config = listener.Config.Http!;
        _stats = worker.Stats.Listeners[listener.Index];
        _routeTimer = new TimerEntry(this, RouteTimerKind);
        _tryTimer = new TimerEntry(this, TryTimerKind);
        _bufferLimit = listener.Config.BufferLimitBytes;
    }

    /// <summary>
    /// Moves an idle exchange to another listener: a worker's pooled HTTP/2 streams serve every
    /// listener of the worker, so one taken from the pool may last have served another.
    /// </summary>
    public void Rebind(ListenerRuntime listener)
    {
        Debug.Assert(_phase == Phase.Idle, "only an idle exchange changes listener");
        if (listener.Index == _listener.Index && ReferenceEquals(listener, _listener))
        {
            return;
        }

        _listener = listener;
        _config = listener.Config.Http!;
        _stats = _worker.Stats.Listeners[listener.Index];
        _bufferLimit = listener.Config.BufferLimitBytes;
    }

    /// <summary>
    /// Points an idle exchange at another downstream stream: an HTTP/1 connection borrows an exchange
    /// from its worker for each request (<see cref="Http1RequestLease"/>), so the one it gets may last
    /// have answered through another connection, of another listener.
    /// </summary>
    public void Lend(IDownstreamStream downstream, ListenerRuntime listener)
    {
        Debug.Assert(_phase == Phase.Idle, "only an idle exchange is lent");
        _downstream = downstream;
        Rebind(listener);
    }

    private enum Phase : byte
    {
        /// <summary>No request, or one answered and ended.</summary>
        Idle,

        /// <summary>A request has begun (its head is complete or rejected) and has not ended.</summary>
        Active,

        /// <summary>After a 101: the request is logged and over, raw bytes go both ways until either side closes.</summary>
        Tunnel,
    }

    /// <summary>Whether a request is in progress (from <see cref="Start"/> to its end).</summary>
    public bool IsActive => _phase == Phase.Active;

    /// <summary>
    /// A request head has been read to its end, well formed or not: it counts from here. The clock
    /// started with its first byte (<paramref name="startTicks"/>). <paramref name="listener"/> is
    /// the listener's current version on this worker, which the codec looked up (once per request
    /// for HTTP/1, once per read for the streams an h2 read opens): a live config change makes a new
    /// one; a removed listener has none, and its connections drain on the version they had.
    /// </summary>
    public void Start(long startTicks, ListenerRuntime listener)
    {
        _phase = Phase.Active;
        _head = _downstream.Head;
        _listener = listener;
        _config = _listener.Config.Http!;
        _accessLog = _worker.AccessLogs[_listener.Index];
        _requestStartTicks = startTicks;
        _responseFlags = ResponseFlags.None;
        _attemptHost = null;
        _lastStatus = 0;
        _bytesReceived = 0;
        _bytesSent = 0;
        _requestEnded = false;
        _requestTrailers = null;
        _requestBodyStarted = false;
        _stats.RequestsTotal++;
        _stats.RequestsActive++;
        if (_head.IsHttp2)
        {
            _stats.Http2Requests++;
        }
        else
        {
            _stats.Http1Requests++;
        }
    }

    /// <summary>The downstream codec refused the request (a parse error, a timeout): a reply that closes the connection.</summary>
    public void Reject(int status, ReadOnlySpan<byte> reason)
    {
        _stats.BadRequests++;
        SendLocalReply(new LocalReply(LocalReplyKind.Plain, status, reason, closeConnection: true));
    }

    /// <summary>The request head is complete and well formed; <paramref name="endStream"/>: no body follows.</summary>
    public void OnRequestHead(bool endStream)
    {
        _requestEnded = endStream;
        _requestHasBody = !endStream;
        if (_config.MaxRequestBodyBytes > 0 && _head.DeclaredLength > _config.MaxRequestBodyBytes)
        {
            _stats.BadRequests++;
            SendLocalReply(new LocalReply(LocalReplyKind.Plain, 413, "request body too large"u8, closeConnection: true));
            return;
        }

        _route = _listener.Routes!.Route(_head, _downstream.Peer);
        if (_route is null)
        {
            _responseFlags = ResponseFlags.NoRoute;
            SendLocalReply(new LocalReply(LocalReplyKind.Plain, 404, "no route"u8));
            return;
        }

        switch (_route.Action)
        {
            case RouteAction.DirectResponse:
                SendLocalReply(new LocalReply(LocalReplyKind.Plain, _route.Config.DirectResponse!.Status, _route.DirectBody));
                return;
            case RouteAction.Redirect:
                SendLocalReply(new LocalReply(LocalReplyKind.Redirect, _route.Config.Redirect!.Status, default, redirect: _route.Config.Redirect));
                return;
        }

        if (!_worker.Overload.TryAdmit(rpc: false))
        {
            // The memory budget's overload action: Envoy's stop_accepting_requests reply.
            _responseFlags = ResponseFlags.Overloaded;
            SendLocalReply(new LocalReply(LocalReplyKind.Plain, 503, "envoy overloaded"u8));
            return;
        }

        BeginProxying();
    }

    /// <summary>The downstream could not read the rest of the request (a malformed body, a client gone mid-body).</summary>
    public void OnRequestError(int status, ReadOnlySpan<byte> reason)
    {
        _stats.BadRequests++;
        FailRequest(status, reason, upstreamReusable: false);
    }

    /// <summary>The client is gone (the connection closed or the stream was reset): whatever the upstream was doing for it is abandoned.</summary>
    public void OnDownstreamReset()
    {
        if (_phase == Phase.Active && _lastStatus == 0)
        {
            _responseFlags = ResponseFlags.DownstreamClosed;
        }

        if (_upstream is not null)
        {
            ReleaseUpstream(reusable: false);
        }

        EndRequest();
        _phase = Phase.Idle;
    }

    /// <summary>The downstream's output is above (or back below) its watermark: hold (or resume) the upstream's reading.</summary>
    public void OnDownstreamWatermark(bool above) => PauseUpstream(above);

    public void OnTimerFault() => _downstream.Reset();

    public void OnTimer(TimerEntry timer)
    {
        if (timer.Kind == TryTimerKind)
        {
            OnTryTimeout();
        }
        else if (_phase == Phase.Active)
        {
            OnRouteTimeout();
        }
    }

    private void SendLocalReply(in LocalReply reply)
    {
        _stats.LocalReplies++;
        _bytesSent += reply.Body.Length;
        _downstream.SendLocalReply(reply);
        RecordResponse(reply.Status);
        EndRequest();
        _downstream.Finish();
    }

    /// <summary>The request is over (answered or abandoned): stats and the access log line; every slot and timer goes back.</summary>
    private void EndRequest()
    {
        if (_phase == Phase.Active)
        {
            _phase = Phase.Idle;
            _stats.RequestsActive--;
            var elapsed = Stopwatch.GetElapsedTime(_requestStartTicks);
            _stats.RecordDuration((long)elapsed.TotalMicroseconds);
            _accessLog?.Append(new AccessLogEntry
            {
                Head = _head,
                StartUtc = DateTime.UtcNow - elapsed,
                Status = _lastStatus,
                Flags = ResponseFlagCodes.Of(_responseFlags),
                BytesReceived = _bytesReceived,
                BytesSent = _bytesSent,
                DurationMs = (long)elapsed.TotalMilliseconds,
                UpstreamHost = _attemptHost?.Address,
                ClientAddress = _downstream.ClientAddress,
                Peer = _downstream.Peer,
            });
        }

        ReleaseBreakerSlots();
        _route = null;
        _requestTrailers = null;
        _requestBody.Clear(_worker.Pool);
        _worker.Timers.Cancel(_routeTimer);
        _worker.Timers.Cancel(_tryTimer);
    }

    private void RecordResponse(int status)
    {
        _lastStatus = status;
        var statusClass = status / 100;
        if (statusClass is >= 1 and <= 5)
        {
            _stats.ResponsesByClass[statusClass]++;
        }
    }
}
