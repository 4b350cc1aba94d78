using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http;

/// <summary>
/// The cluster's circuit breakers as one request meets them: the slots it holds (active request,
/// pending connect, retry) and the fast 503 when one is full. Every slot is given back by the time
/// the request ends, whichever way it ends (<see cref="ReleaseBreakerSlots"/> runs when it ends).
/// </summary>
internal sealed partial class HttpExchange
{
    // The breakers of the cluster this request was routed to; null between requests.
    private CircuitBreakers? _breakers;
    private bool _holdsRequestSlot;
    private bool _holdsPendingSlot;
    private bool _holdsRetrySlot;

    /// <summary>Takes an active-request slot on the routed cluster (max_requests); false, counted, when it is full.</summary>
    private bool TryTakeRequestSlot()
    {
        _breakers = _pool.Cluster.Breakers;
        _holdsRequestSlot = _breakers.Requests.TryAcquire();
        if (!_holdsRequestSlot)
        {
            _clusterStats.RequestsOverflow++;
        }
        else
        {
            _clusterStats.RequestsInFlight++;
        }

        return _holdsRequestSlot;
    }

    /// <summary>The request must wait for a new connection (max_pending_requests); false, counted, when too many wait already.</summary>
    private bool TryTakePendingSlot()
    {
        if (_holdsPendingSlot)
        {
            return true;
        }

        _holdsPendingSlot = _breakers!.PendingRequests.TryAcquire();
        if (!_holdsPendingSlot)
        {
            _clusterStats.PendingOverflow++;
        }

        return _holdsPendingSlot;
    }

    /// <summary>The connect this request waited for has ended, one way or another.</summary>
    private void ReleasePendingSlot()
    {
        if (_holdsPendingSlot)
        {
            _holdsPendingSlot = false;
            _breakers!.PendingRequests.Release();
        }
    }

    /// <summary>
    /// May this request, which reached a host, be tried again (max_retries)? A request holds one retry
    /// slot from its first such retry until it ends, so the breaker counts requests that are retrying.
    /// False, counted, when the breaker is full: the caller returns the failure it has instead.
    /// </summary>
    private bool TryTakeRetrySlot()
    {
        if (_holdsRetrySlot)
        {
            return true;
        }

        _holdsRetrySlot = _breakers!.Retries.TryAcquire();
        if (!_holdsRetrySlot)
        {
            _clusterStats.RetriesOverflow++;
        }

        return _holdsRetrySlot;
    }

    private void ReleaseBreakerSlots()
    {
        if (_breakers is not { } breakers)
        {
            return;
        }

        ReleasePendingSlot();
        if (_holdsRetrySlot)
        {
            _holdsRetrySlot = false;
            breakers.Retries.Release();
        }

        if (_holdsRequestSlot)
        {
            _holdsRequestSlot = false;
            breakers.Requests.Release();
            _clusterStats.RequestsInFlight--;
        }

        _breakers = null;
    }

    /// <summary>
    /// A breaker is full: a 503 at once with <c>x-envoy-overloaded: true</c> (flag UO), never a
    /// queue, so that callers back off instead of piling more on the cluster.
    /// </summary>
    private void FailOverloaded(ReadOnlySpan<byte> reason)
    {
        _responseFlags = ResponseFlags.UpstreamOverflow;
        ReleaseUpstream(reusable: false);
        SendLocalReply(new LocalReply(LocalReplyKind.Overloaded, 503, reason));
    }
}
