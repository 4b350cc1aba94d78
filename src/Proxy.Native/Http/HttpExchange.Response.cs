using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http;

/// <summary>The response: read from the upstream, its head rewritten and handed down, its body streamed, then the exchange closed out.</summary>
internal sealed partial class HttpExchange
{
    private readonly ResponseHead _responseHead = new();
    private readonly HeaderBlock _responseTrailers = new();
    private Http1ResponseParser _responseParser;
    private Http1ResponseHead _response;
    private Http1BodyReader _responseBody;
    private Http1ParserLimits _limits;
    private bool _responseHeadSent;
    private bool _responseComplete;

    private void ResetResponse()
    {
        _limits = new Http1ParserLimits(8 * 1024, _config.MaxRequestHeadersBytes, 100);
        _responseParser = new Http1ResponseParser(_limits, _head.Method);
        _responseHead.Begin();
        _responseTrailers.End();
        _responseHeadSent = false;
        _responseComplete = false;
        _staging.Clear(_worker.Pool);
    }

    private void ProcessUpstream()
    {
        var upstream = _upstream!;
        var input = upstream.Connection.Input;
        if (_phase == Phase.Tunnel)
        {
            _downstream.SendResponseData(input, input.Length);
            return;
        }

        while (!_responseHeadSent)
        {
            if (input.IsEmpty)
            {
                return;
            }

            // A response has begun: from here a lost connection is no proof the request went unprocessed.
            _attemptAnswered = true;
            var collector = new ResponseHeadCollector(_responseHead, _route!.ResponseHeaders);
            var result = _responseParser.Parse(ref collector, input.AsSequence());
            input.Consume(result.Consumed, _worker.Pool);
            if (result.Status == Http1ParseStatus.NeedMoreData)
            {
                return;
            }

            if (result.Status == Http1ParseStatus.Error)
            {
                FailRequest(502, "invalid upstream response"u8, upstreamReusable: false);
                return;
            }

            var head = _responseParser.Head;
            if (head.IsInterim)
            {
                // 100 Continue, 103 Early Hints: passed on as they are; the final response follows.
                _downstream.SendResponseHead(_responseHead, endStream: false);
                _responseHead.Begin();
                _responseParser.Reset(_head.Method);
                continue;
            }

            _pool.Cluster.Outliers?.ReportStatus(_attemptHost!, _worker.Id, head.StatusCode);
            if (!head.IsTunnel && _route.RetriesStatus(head.StatusCode) && !_requestBodyStarted
                && _attempts <= _route.Config.Retry.NumRetries && TryTakeRetrySlot())
            {
                _clusterStats.ResponsesByClass[head.StatusCode / 100]++;
                _clusterStats.RequestRetries++;
                ReleaseUpstream(reusable: false);
                ResetResponse();
                StartAttempt();
                return;
            }

            SendResponseHead(head);
            if (_phase != Phase.Active)
            {
                return;
            }
        }

        ForwardResponseBody(input);
    }

    private void SendResponseHead(in Http1ResponseHead head)
    {
        _response = head;
        _worker.Timers.Cancel(_tryTimer);
        var tunnel = head.IsTunnel && _head.IsUpgrade;

        // The place for response-head mutations: the route's additions.
        foreach (var (name, value) in _route!.ResponseHeaders.Add)
        {
            _responseHead.AddField(Http1KnownHeader.Unknown, name, value);
        }

        _responseHeadSent = true;
        RecordResponse(head.StatusCode);
        _clusterStats.ResponsesByClass[head.StatusCode / 100]++;
        _responseComplete = head.Framing.Kind == Http1BodyKind.None && !tunnel;
        _downstream.SendResponseHead(_responseHead, endStream: _responseComplete);
        if (tunnel)
        {
            EnterTunnel();
            return;
        }

        _responseBody = new Http1BodyReader(head.Framing, _limits);
    }

    private void ForwardResponseBody(BlockChain input)
    {
        var trailers = new TrailerCollector(_responseTrailers);
        while (!_responseComplete && !input.IsEmpty)
        {
            var step = _responseBody.Read(ref trailers, input.AsSequence());
            if (step.Kind == Http1BodyStepKind.Error)
            {
                // The head is already with the client; a broken body can only end in a reset.
                ReleaseUpstream(reusable: false);
                _downstream.Reset();
                return;
            }

            if (step.DataLength > 0)
            {
                input.Consume(step.DataOffset, _worker.Pool);
                _bytesSent += step.DataLength;
                _downstream.SendResponseData(input, step.DataLength);
                input.Consume(step.Consumed - step.DataOffset - step.DataLength, _worker.Pool);
            }
            else
            {
                input.Consume(step.Consumed, _worker.Pool);
            }

            if (step.Kind == Http1BodyStepKind.Complete)
            {
                _responseComplete = true;
                _downstream.EndResponse(_responseTrailers.FieldCount > 0 ? _responseTrailers : null);
            }
            else if (step.Kind == Http1BodyStepKind.NeedMoreData)
            {
                break;
            }
        }

        if (_responseComplete)
        {
            CompleteExchange();
        }
    }

    /// <summary>
    /// The response is complete. The upstream connection goes back to the pool only after a clean
    /// exchange (both messages complete, nothing extra read); the downstream decides whether its
    /// connection takes another request.
    /// </summary>
    private void CompleteExchange()
    {
        var reusable = _response.KeepAlive && _requestSent;
        ReleaseUpstream(reusable);
        EndRequest();
        _downstream.Finish();
    }

    /// <summary>After a 101: the bytes each side sent past the handshake go across, then everything does.</summary>
    private void EnterTunnel()
    {
        EndRequest();
        _phase = Phase.Tunnel;
        var upstream = _upstream!.Connection;
        if (!upstream.Input.IsEmpty)
        {
            _downstream.SendResponseData(upstream.Input, upstream.Input.Length);
        }

        _downstream.StartTunnel();
    }
}
