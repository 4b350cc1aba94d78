using MeshEdge.Config.Model;
using MeshEdge.Native.Network;

namespace MeshEdge.Native.Http;

/// <summary>When an attempt fails: timeouts, retries under the route's policy and the retry breaker, local replies, and giving back the upstream and the host.</summary>
internal sealed partial class HttpSession
{
    private void OnTryTimeout()
    {
        if (_phase != Phase.Proxying || _responseHeadSent)
        {
            return;
        }

        var connecting = _upstream is { Connected: false };
        _clusterStats.ConnectTimeouts += connecting ? 1 : 0;
        ReleaseUpstream(reusable: false);
        if (connecting && _connectTimerArmed)
        {
            RetryOrFail(RetryOn.ConnectFailure, 502, "upstream connect timeout"u8);
            return;
        }

        RetryOrFail(RetryOn.PerTryTimeout, 504, "upstream request timeout"u8);
    }

    private void OnRouteTimeout()
    {
        if (_responseHeadSent)
        {
            CloseDownstream(CloseMode.Abort);
            return;
        }

        _responseFlags = ResponseFlags.UpstreamTimeout;
        FailRequest(504, "upstream request timeout"u8, upstreamReusable: false);
    }

    /// <summary>
    /// Tries again on a fresh pick when the route's policy covers <paramref name="cause"/>, retries
    /// remain and the request can be replayed (no body byte has left); otherwise replies with
    /// <paramref name="status"/>. A failed connect moves to the next host even without a policy, as
    /// the TCP proxy does, since nothing has been sent.
    /// </summary>
    private void RetryOrFail(RetryOn cause, int status, ReadOnlySpan<byte> reason)
    {
        if (_attemptHost is { } failed)
        {
            // Connect failures, resets and timeouts are gateway failures of the host that caused them.
            _pool.Cluster.Outliers?.ReportGatewayFailure(failed, _worker.Id);
        }

        _responseFlags = cause switch
        {
            RetryOn.ConnectFailure => ResponseFlags.UpstreamConnectFailure,
            RetryOn.Reset => ResponseFlags.UpstreamReset,
            _ => ResponseFlags.UpstreamTimeout,
        };

        var policy = _route!.Config.Retry;
        var covered = (policy.On & cause) != 0
            || ((policy.On & (RetryOn.ServerError | RetryOn.GatewayError)) != 0 && cause is RetryOn.ConnectFailure or RetryOn.Reset);
        var replayable = !_requestBodyStarted;

        // A refused connect sent nothing, so another host is always safe: without a policy each host
        // gets one try, as in the TCP proxy. For the same reason it needs no max_retries slot: the
        // host never saw the request, so moving on adds no load to the cluster (RPC re-sends after a
        // failed connect are not counted either). Counting them made a host's crash under a burst
        // fail requests that another host could answer (the kill-under-load test saw it).
        var failover = cause == RetryOn.ConnectFailure && _attempts < _pool.Cluster.Hosts.Length;
        var wanted = replayable && ((covered && _attempts <= policy.NumRetries) || failover);

        // The slot is asked for last: a failure that will not be retried must not hold one, nor count
        // an overflow when the breaker is full (the response path orders its condition the same way).
        if (wanted && (cause == RetryOn.ConnectFailure || TryTakeRetrySlot()))
        {
            _clusterStats.RequestRetries++;
            ResetResponse();
            StartAttempt();
            return;
        }

        FailRequest(status, reason, upstreamReusable: false);
    }

    /// <summary>Ends the exchange with a local reply; the upstream, if any, is closed unless reusable.</summary>
    private void FailRequest(int status, ReadOnlySpan<byte> reason, bool upstreamReusable)
    {
        ReleaseUpstream(upstreamReusable);
        if (_responseHeadSent)
        {
            CloseDownstream(CloseMode.Abort);
            return;
        }

        _staging.Clear(_worker.Pool);
        _phase = Phase.Idle;
        SendLocalReply(status, reason, close: !_requestComplete);
    }

    private void ReleaseUpstream(bool reusable)
    {
        _worker.Timers.Cancel(_tryTimer);
        ReleasePendingSlot();
        if (_upstream is { } upstream)
        {
            _upstream = null;
            if (_upstreamPaused && upstream.Connection.State != ConnectionState.Closed)
            {
                upstream.Connection.ReadDisable(false);
            }

            _upstreamPaused = false;
            _pool.Release(upstream, reusable);
        }

        ReleaseHost();
    }

    private void ReleaseHost()
    {
        if (_upstreamHost is { } host)
        {
            host.RequestEnded(_worker.Id);
            _upstreamHost = null;
        }
    }
}
