using MeshEdge.Codecs.Http1;
using MeshEdge.Config.Model;
using MeshEdge.Native.Http.Routing;
using MeshEdge.Native.Network;
using MeshEdge.Native.Stats;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http;

/// <summary>The upstream side: choosing a host, leasing or opening a connection, retries and timeouts.</summary>
internal sealed partial class HttpSession : IHttpUpstreamUser
{
    private HttpUpstream? _upstream;
    private HttpConnectionPool _pool = null!;
    private ClusterStats _clusterStats = null!;
    private ClusterBalancer _balancer = null!;
    private UpstreamHost? _upstreamHost;

    // The host of the latest attempt, kept after the balancer's count is released: outlier
    // detection and the access log still need to know who failed or answered.
    private UpstreamHost? _attemptHost;
    private int _attempts;
    private ulong _hashKey;
    private bool _requestHeadSent;
    private bool _upstreamPaused;
    private bool _connectTimerArmed;

    // For the default retry of a lost keep-alive connection (SafeRetry): whether the try's connection
    // came from the pool, whether any response byte came on it, and whether the next try must open a
    // new connection (the other idle ones, to this host or any, may be just as stale: an upstream
    // that closes idle connections closes them all).
    private bool _attemptReused;
    private bool _attemptAnswered;
    private bool _nextAttemptFresh;

    private void BeginProxying()
    {
        _phase = Phase.Proxying;
        var cluster = _worker.StandbyCluster(_route!.PickCluster(_worker.Random));
        _pool = _worker.HttpPool(cluster);
        _clusterStats = _worker.Stats.Clusters[cluster];
        _balancer = _worker.Balancers[cluster];
        _attempts = 0;
        _hashKey = _balancer.Cluster.Config.LbPolicy is LoadBalancerPolicy.RingHash or LoadBalancerPolicy.Maglev
            ? RequestHashKey.Of(_route, _head, _clientHash, _worker.Random)
            : 0;
        ResetResponse();
        if (!TryTakeRequestSlot())
        {
            FailOverloaded("upstream request limit reached"u8);
            return;
        }

        if (_route.TimeoutMs > 0)
        {
            _worker.Timers.Arm(_downstreamTimer, _worker.NowMs, _route.TimeoutMs);
        }

        StartAttempt();
    }

    /// <summary>Leases an idle connection to the picked host or opens one; on failure retries or replies.</summary>
    private void StartAttempt()
    {
        _attempts++;
        _requestHeadSent = false;
        _attemptReused = false;
        _attemptAnswered = false;
        var fresh = _nextAttemptFresh;
        _nextAttemptFresh = false;

        // A retry passes over the host that just failed it when another can take the request.
        var host = _balancer.Pick(_hashKey, _attempts - 1, _attempts > 1 ? _attemptHost : null);
        if (host is null)
        {
            _responseFlags = ResponseFlags.NoHealthyUpstream;
            FailRequest(503, "no healthy upstream"u8, upstreamReusable: false);
            return;
        }

        host.RequestStarted(_worker.Id);
        _upstreamHost = host;
        _attemptHost = host;
        if (!fresh && _pool.TryLease(host, this) is { } idle)
        {
            _upstream = idle;
            _attemptReused = true;
            ArmTryTimer(connecting: false);
            SendRequestHead();
            return;
        }

        // No idle connection to take: the request waits for a connect, which max_pending_requests bounds.
        if (!TryTakePendingSlot())
        {
            ReleaseHost();
            FailOverloaded("upstream pending request limit reached"u8);
            return;
        }

        var upstream = _pool.Connect(host, this, _bufferLimit, out var overflow, out _);
        if (upstream is null)
        {
            ReleasePendingSlot();
            ReleaseHost();
            if (overflow)
            {
                FailOverloaded("upstream connection limit reached"u8);
            }
            else
            {
                RetryOrFail(RetryOn.ConnectFailure, 502, "upstream connect error"u8);
            }

            return;
        }

        _upstream = upstream;
        ArmTryTimer(connecting: true);
    }

    /// <summary>
    /// The attempt's timer: the per-try timeout, or while connecting the cluster's connect timeout
    /// when that is shorter, so that a host that swallows connects fails over instead of holding
    /// the request until the route timeout.
    /// </summary>
    private void ArmTryTimer(bool connecting)
    {
        var timeoutMs = _route!.PerTryTimeoutMs;
        var connectMs = _pool.Cluster.ConnectTimeoutMs;
        _connectTimerArmed = connecting && connectMs > 0 && (timeoutMs <= 0 || connectMs < timeoutMs);
        if (_connectTimerArmed)
        {
            timeoutMs = connectMs;
        }

        if (timeoutMs > 0)
        {
            _worker.Timers.Arm(_tryTimer, _worker.NowMs, timeoutMs);
        }
    }

    private void SendRequestHead()
    {
        var upstream = _upstream!;
        Span<byte> requestId = stackalloc byte[32];
        var generateId = _config.GenerateRequestId && _head.RequestIdField < 0;
        if (generateId)
        {
            RequestIds.Write(_worker.Random, requestId);
        }

        var info = new ForwardingInfo(_config.AddForwardedHeaders, _clientAddress, generateId ? requestId : default, _downstream.Tls is not null);
        RequestHeadWriter.Write(_writer, _head, _request, _route!, info);
        upstream.Requests++;
        _clusterStats.RequestsTotal++;
        upstream.Connection.Write(_staging);
        _requestHeadSent = true;
        ForwardRequestBody();
    }

    public void OnUpstreamConnected(HttpUpstream upstream)
    {
        ReleasePendingSlot();
        if (_connectTimerArmed)
        {
            // Connected in time: from here the attempt has only its per-try timeout, if any.
            _worker.Timers.Cancel(_tryTimer);
            ArmTryTimer(connecting: false);
        }

        SendRequestHead();
    }

    public void OnUpstreamConnectFailed(HttpUpstream upstream, int errno)
    {
        _upstream = null;
        ReleasePendingSlot();
        ReleaseHost();
        RetryOrFail(RetryOn.ConnectFailure, 502, "upstream connect error"u8);
    }

    public void OnUpstreamData(HttpUpstream upstream) => ProcessUpstream();

    public void OnUpstreamReadEof(HttpUpstream upstream)
    {
        if (_phase == Phase.Tunnel)
        {
            _downstream.ShutdownWrite();
            return;
        }

        if (_responseHeadSent && _response.Framing.Kind == Http1BodyKind.UntilClose)
        {
            // The body ran to the close: that is its end, and the client connection must end too.
            _keepAlive = false;
            _responseComplete = true;
            CompleteExchange();
            return;
        }

        upstream.Connection.Close(CloseMode.Abort);
    }

    public void OnUpstreamClosed(HttpUpstream upstream, CloseReason reason)
    {
        _upstream = null;
        ReleasePendingSlot();
        ReleaseHost();
        if (_phase == Phase.Tunnel)
        {
            CloseDownstream(CloseMode.FlushWrite);
            return;
        }

        if (_phase != Phase.Proxying || _responseComplete)
        {
            return;
        }

        if (_responseHeadSent)
        {
            // Part of the response is on its way: let it go out (an abort would drop what is still
            // queued, leaving the client an empty reply), then end the connection before the body's
            // framing is complete, which tells the client it was cut short. A body that runs to the
            // close has no such tell, so there only a reset says so.
            CloseDownstream(_response.Framing.Kind == Http1BodyKind.UntilClose ? CloseMode.Abort : CloseMode.FlushWrite);
            return;
        }

        RetryOrFail(RetryOn.Reset, 502, "upstream connection reset"u8, SafeRetry.OfLostConnection(_attemptReused, _attemptAnswered));
    }

    public void OnUpstreamAboveHighWatermark(HttpUpstream upstream) => PauseDownstream(true);

    public void OnUpstreamBelowLowWatermark(HttpUpstream upstream) => PauseDownstream(false);

    private void PauseUpstream(bool pause)
    {
        if (_upstream is { } upstream && pause != _upstreamPaused && upstream.Connection.State != ConnectionState.Closed)
        {
            _upstreamPaused = pause;
            upstream.Connection.ReadDisable(pause);
        }
    }
}
