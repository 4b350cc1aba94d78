using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http;

/// <summary>The response as the upstream stream reports it: its head rewritten and handed down (or retried), its body streamed, then the exchange closed out.</summary>
internal sealed partial class HttpExchange
{
    private bool _responseHeadSent;
    private bool _responseComplete;

    private void ResetResponse()
    {
        _responseHeadSent = false;
        _responseComplete = false;
    }

    public void OnResponseHead(IUpstreamStream stream, ResponseHead head, bool endStream)
    {
        // The route's removals apply to interim heads too; its additions only to the final one.
        var mutation = _route!.ResponseHeaders;
        if (!mutation.IsEmpty)
        {
            for (var i = 0; i < head.FieldCount; i++)
            {
                if (mutation.Removes(head.Name(i)))
                {
                    head.DropField(i);
                }
            }
        }

        if (head.IsInterim)
        {
            // 100 Continue, 103 Early Hints: passed on as they are; the final response follows.
            _downstream.SendResponseHead(head, endStream: false);
            return;
        }

        var status = head.Status;
        _pool.Cluster.Outliers?.ReportStatus(_attemptHost!, _worker.Id, status);
        var tunnel = status == 101 && _head.IsUpgrade;
        if (!tunnel && _route.RetriesStatus(status) && !_requestBodyStarted
            && _attempts <= _route.Config.Retry.NumRetries && TryTakeRetrySlot())
        {
            _clusterStats.ResponsesByClass[status / 100]++;
            _clusterStats.RequestRetries++;
            ReleaseUpstream(reusable: false);
            ResetResponse();
            StartAttempt();
            return;
        }

        _worker.Timers.Cancel(_tryTimer);

        // The place for response-head mutations: the route's additions.
        foreach (var (name, value) in mutation.Add)
        {
            head.AddField(Http1KnownHeader.Unknown, name, value);
        }

        _responseHeadSent = true;
        RecordResponse(status);
        _clusterStats.ResponsesByClass[status / 100]++;
        _responseComplete = endStream;
        _downstream.SendResponseHead(head, endStream);
        if (tunnel)
        {
            EnterTunnel();
        }
        else if (endStream)
        {
            CompleteExchange();
        }
    }

    public void OnResponseData(IUpstreamStream stream, BlockChain source, long count)
    {
        if (_phase == Phase.Active)
        {
            _bytesSent += count;
        }

        _downstream.SendResponseData(source, count);
    }

    public void OnResponseEnd(IUpstreamStream stream, HeaderBlock? trailers)
    {
        _downstream.EndResponse(trailers);
        if (_phase == Phase.Active)
        {
            _responseComplete = true;
            CompleteExchange();
        }
    }

    public void OnResponseInvalid(IUpstreamStream stream)
    {
        if (_responseHeadSent)
        {
            // The head is already with the client; a broken body can only end in a reset.
            ReleaseUpstream(reusable: false);
            _downstream.Reset();
            return;
        }

        FailRequest(502, "invalid upstream response"u8, upstreamReusable: false);
    }

    /// <summary>
    /// The response is complete. The upstream connection may go back to its pool (its codec has the
    /// last word: an HTTP/1 one only after keep-alive on both sides and nothing extra read); the
    /// downstream decides whether its connection takes another request.
    /// </summary>
    private void CompleteExchange()
    {
        ReleaseUpstream(reusable: _requestSent);
        EndRequest();
        _downstream.Finish();
    }

    /// <summary>After a 101: the request is logged and over; raw bytes go both ways until either side closes.</summary>
    private void EnterTunnel()
    {
        EndRequest();
        _phase = Phase.Tunnel;
        _downstream.StartTunnel();
    }
}
