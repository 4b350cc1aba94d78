using MeshEdge.Config.Model;

namespace MeshEdge.Native.Http;

/// <summary>When an attempt fails: timeouts, retries under the route's policy and the retry breaker, local replies, and giving back the upstream and the host.</summary>
internal sealed partial class HttpExchange
{
    private void OnTryTimeout()
    {
        if (_phase != Phase.Active || _responseHeadSent)
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
            ReleaseUpstream(reusable: false);
            _downstream.Reset();
            return;
        }

        _responseFlags = ResponseFlags.UpstreamTimeout;
        FailRequest(504, "upstream request timeout"u8, upstreamReusable: false);
    }

    /// <summary>
    /// Tries again on a fresh pick when the route's policy covers <paramref name="cause"/>, retries
    /// remain and the request can be replayed (no body byte has left); otherwise replies with
    /// <paramref name="status"/>. Without a policy, a try that the upstream provably did not process
    /// (<paramref name="unprocessed"/>, see <see cref="SafeRetry"/>) moves on too: a failed connect to
    /// the next host, as the TCP proxy does, and an idempotent request whose reused keep-alive
    /// connection was lost before any response byte to another host, or to a new connection.
    /// </summary>
    private void RetryOrFail(RetryOn cause, int status, ReadOnlySpan<byte> reason, UnprocessedCause unprocessed = UnprocessedCause.None)
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
        if (cause == RetryOn.ConnectFailure)
        {
            unprocessed = UnprocessedCause.ConnectFailure;
        }

        // A default retry needs no max_retries slot. A refused connect sent nothing, so moving on adds
        // no load to the cluster (RPC re-sends after a failed connect are not counted either); counting
        // them made a host's crash under a burst fail requests that another host could answer (the
        // kill-under-load test saw it). A lost keep-alive connection may have delivered the request
        // (nginx counts it as a try), but each such retry uses up the connection that failed: the
        // retries are bounded by the pooled connections that die, not by the request rate, so they
        // cannot grow into a retry storm, and the same crash resets every request in flight on the
        // host at once, which a limit of 3 would turn into client errors. Both stay bounded by the
        // host count (SafeRetry.Allows).
        var safe = SafeRetry.Allows(unprocessed, _head.Method, replayable, _attempts, _pool.Cluster.Hosts.Length);
        var wanted = safe || (replayable && covered && _attempts <= policy.NumRetries);

        // The slot is asked for last: a failure that will not be retried must not hold one, nor count
        // an overflow when the breaker is full (the response path orders its condition the same way).
        if (wanted && (safe || cause == RetryOn.ConnectFailure || TryTakeRetrySlot()))
        {
            _clusterStats.RequestRetries++;
            _nextAttemptFresh = unprocessed == UnprocessedCause.ReusedConnectionLost;
            if (safe && _nextAttemptFresh)
            {
                // Envoy flags only a final failure: the retry's own outcome decides the log line.
                _responseFlags = ResponseFlags.None;
                _clusterStats.RetriesReusedConnectionLost++;
            }

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
            _downstream.Reset();
            return;
        }

        SendLocalReply(new LocalReply(LocalReplyKind.Plain, status, reason));
    }

    private void ReleaseUpstream(bool reusable)
    {
        _worker.Timers.Cancel(_tryTimer);
        ReleasePendingSlot();
        if (_upstream is { } upstream)
        {
            _upstream = null;
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
