using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Network;

namespace MeshEdge.Native.Http;

/// <summary>The response: its head rewritten on the way down, its body streamed, then the exchange closed out.</summary>
internal sealed partial class HttpSession
{
    private Http1ResponseParser _responseParser;
    private Http1ResponseHead _response;
    private Http1BodyReader _responseBody;
    private bool _responseHeadSent;
    private bool _responseComplete;

    private void ResetResponse()
    {
        _responseParser = new Http1ResponseParser(_limits, _request.Method);
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
            _downstream.Write(input);
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
            var rewriter = new ResponseHeadRewriter(_writer, _route!.ResponseHeaders);
            var result = _responseParser.Parse(ref rewriter, input.AsSequence());
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
                Http1Writer.WriteEndOfHeaders(_writer);
                _downstream.Write(_staging);
                _responseParser.Reset(_request.Method);
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
            if (_phase == Phase.Tunnel)
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
        var tunnel = head.IsTunnel && _request.IsUpgrade;
        _keepAlive &= head.Framing.Kind != Http1BodyKind.UntilClose && !_draining;
        foreach (var (name, value) in _route!.ResponseHeaders.Add)
        {
            Http1Writer.WriteHeader(_writer, name, value);
        }

        if (tunnel)
        {
            Http1Writer.WriteHeader(_writer, "connection"u8, "upgrade"u8);
        }
        else if (!_keepAlive)
        {
            Http1Writer.WriteHeader(_writer, "connection"u8, "close"u8);
        }
        else if (_request.Version == Http1Version.Http10)
        {
            Http1Writer.WriteHeader(_writer, "connection"u8, "keep-alive"u8);
        }

        Http1Writer.WriteEndOfHeaders(_writer);
        _downstream.Write(_staging);
        _responseHeadSent = true;
        RecordResponse(head.StatusCode);
        _clusterStats.ResponsesByClass[head.StatusCode / 100]++;
        if (tunnel)
        {
            EnterTunnel();
            return;
        }

        _responseBody = new Http1BodyReader(head.Framing, _limits);
        _responseComplete = head.Framing.Kind == Http1BodyKind.None;
    }

    private void ForwardResponseBody(Runtime.BlockChain input)
    {
        var noTrailers = default(NoTrailers);
        while (!_responseComplete && !input.IsEmpty)
        {
            var step = _responseBody.Read(ref noTrailers, input.AsSequence());
            if (step.Kind == Http1BodyStepKind.Error)
            {
                // The head is already with the client; a broken body can only end in a reset.
                ReleaseUpstream(reusable: false);
                CloseDownstream(CloseMode.Abort);
                return;
            }

            if (step.Consumed > 0)
            {
                input.MovePrefixTo(_staging, step.Consumed, _worker.Pool);
                _downstream.Write(_staging);
            }

            if (step.Kind == Http1BodyStepKind.Complete)
            {
                _responseComplete = true;
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
    /// exchange (both messages complete, nothing extra read); the client connection waits for its
    /// next request unless either side asked to close or the request body was cut short.
    /// </summary>
    private void CompleteExchange()
    {
        var reusable = _response.KeepAlive && _requestComplete;
        ReleaseUpstream(reusable);
        _worker.Timers.Cancel(_downstreamTimer);
        EndRequest();
        if (!_keepAlive || _draining || !_requestComplete)
        {
            CloseAfterReply();
            return;
        }

        EnterIdle();
        PauseDownstream(false);
        ProcessDownstream();
    }

    /// <summary>After a 101: the bytes each side sent past the handshake go across, then everything does.</summary>
    private void EnterTunnel()
    {
        _phase = Phase.Tunnel;
        _worker.Timers.Cancel(_downstreamTimer);
        _worker.Timers.Cancel(_tryTimer);
        EndRequest();
        PauseDownstream(false);
        var upstream = _upstream!.Connection;
        if (!upstream.Input.IsEmpty)
        {
            _downstream.Write(upstream.Input);
        }

        if (!_downstream.Input.IsEmpty)
        {
            upstream.Write(_downstream.Input);
        }
    }
}
