using MeshEdge.Config.Model;
using MeshEdge.Native.Http.Routing;
using MeshEdge.Native.Stats;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http;

/// <summary>The upstream side: choosing a host, leasing or opening a connection, the try timer.</summary>
internal sealed partial class HttpExchange : IUpstreamStreamUser
{
    private IUpstreamStream? _upstream;
    private IHttpUpstreamPool _pool = null!;
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
    // came from the pool (whether any response byte came on it, the stream says when it is lost), and
    // whether the next try must open a new connection (the other idle ones, to this host or any, may
    // be just as stale: an upstream that closes idle connections closes them all).
    private bool _attemptReused;
    private bool _nextAttemptFresh;

    private void BeginProxying()
    {
        var cluster = _worker.StandbyCluster(_route!.PickCluster(_worker.Random));
        if (!_worker.HasCluster(cluster))
        {
            // A retired cluster this worker let go of, named by routes compiled before the change
            // (a removed listener's draining connections keep its last version): its hosts are all
            // gone, so the answer is the one a cluster without hosts gets.
            _responseFlags = ResponseFlags.NoHealthyUpstream;
            SendLocalReply(new LocalReply(LocalReplyKind.Plain, 503, "no healthy upstream"u8));
            return;
        }

        _pool = _worker.HttpPool(cluster);
        _clusterStats = _worker.Stats.Clusters[cluster];
        _balancer = _worker.Balancers[cluster];
        _attempts = 0;
        _hashKey = _balancer.Cluster.Config.LbPolicy is LoadBalancerPolicy.RingHash or LoadBalancerPolicy.Maglev
            ? RequestHashKey.Of(_route, _head, _downstream.ClientHash, _worker.Random)
            : 0;
        ResetResponse();
        if (!TryTakeRequestSlot())
        {
            FailOverloaded("upstream request limit reached"u8);
            return;
        }

        if (_route.TimeoutMs > 0)
        {
            _worker.Timers.Arm(_routeTimer, _worker.NowMs, _route.TimeoutMs);
        }

        StartAttempt();
    }

    /// <summary>
    /// The exchange goes back to its worker's free list: it lets go of its last request's cluster
    /// (pool, balancer, hosts), so that an idle exchange does not keep a retired cluster's runtime
    /// and TLS context alive until it serves another request.
    /// </summary>
    public void ForgetCluster()
    {
        if (_upstream is not null || _phase != Phase.Idle)
        {
            // Still tied to its upstream (not expected once returned): it lets go with its next request.
            return;
        }

        _pool = null!;
        _balancer = null!;
        _upstreamHost = null;
        _attemptHost = null;
    }

    /// <summary>Leases an idle connection to the picked host or opens one; on failure retries or replies.</summary>
    private void StartAttempt()
    {
        _attempts++;
        _requestHeadSent = false;
        _attemptReused = false;
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

    public void OnUpstreamConnected(IUpstreamStream stream)
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

    public void OnUpstreamConnectFailed(IUpstreamStream stream)
    {
        _upstream = null;
        ReleasePendingSlot();
        ReleaseHost();
        RetryOrFail(RetryOn.ConnectFailure, 502, "upstream connect error"u8);
    }

    public void OnUpstreamReset(IUpstreamStream stream, bool answered) => OnUpstreamLost(answered, UnprocessedCause.None);

    /// <summary>
    /// An HTTP/2 upstream said the request was not processed (REFUSED_STREAM, or above a GOAWAY's
    /// last stream id): any method may go to another host, as for a failed connect.
    /// </summary>
    public void OnUpstreamUnprocessed(IUpstreamStream stream, UnprocessedCause cause) => OnUpstreamLost(answered: false, cause);

    private void OnUpstreamLost(bool answered, UnprocessedCause unprocessed)
    {
        _upstream = null;
        ReleasePendingSlot();
        ReleaseHost();
        if (_phase == Phase.Tunnel)
        {
            _phase = Phase.Idle;
            _downstream.Reset();
            return;
        }

        if (_phase != Phase.Active || _responseComplete)
        {
            return;
        }

        if (_responseHeadSent)
        {
            // Part of the response is on its way: the downstream cuts it short the way its version
            // shows (an HTTP/1 connection ends before the body's framing is complete).
            _downstream.Reset();
            return;
        }

        RetryOrFail(RetryOn.Reset, 502, "upstream connection reset"u8,
            unprocessed != UnprocessedCause.None ? unprocessed : SafeRetry.OfLostConnection(_attemptReused, answered));
    }

    public void OnUpstreamWatermark(IUpstreamStream stream, bool above) => _downstream.PauseReading(above);

    private void PauseUpstream(bool pause)
    {
        if (_upstream is { } upstream && pause != _upstreamPaused)
        {
            _upstreamPaused = pause;
            upstream.PauseReading(pause);
        }
    }
}
