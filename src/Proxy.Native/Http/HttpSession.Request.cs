using System.Diagnostics;
using MeshEdge.Codecs.Http1;
using MeshEdge.Native.AccessLogs;
using MeshEdge.Native.Http.Routing;
using MeshEdge.Native.Network;

namespace MeshEdge.Native.Http;

/// <summary>The downstream side: reading and checking request heads, routing, local replies, the request body.</summary>
internal sealed partial class HttpSession
{
    private void ProcessDownstream()
    {
        while (true)
        {
            switch (_phase)
            {
                case Phase.Idle or Phase.ReadingHead:
                    if (_downstream.Input.IsEmpty || !ReadRequestHead())
                    {
                        return;
                    }

                    // A head completed and was answered locally; a pipelined request may follow.
                    continue;
                case Phase.Proxying:
                    ForwardRequestBody();
                    return;
                case Phase.Lingering:
                    _downstream.Input.Clear(_worker.Pool);
                    return;
                case Phase.Tunnel:
                    if (!_downstream.Input.IsEmpty)
                    {
                        _upstream!.Connection.Write(_downstream.Input);
                    }

                    return;
                default:
                    return;
            }
        }
    }

    /// <summary>Parses what has arrived of a head. Returns true when the loop should look at the input again.</summary>
    private bool ReadRequestHead()
    {
        if (_phase == Phase.Idle)
        {
            _phase = Phase.ReadingHead;
            FetchListenerState();

            // A local reply to a head that never parsed (400, 408) must not inherit the previous
            // request's method: after a HEAD it would lose its body.
            _request = default;
            _head.Begin();
            _requestParser.Reset();
            _requestStartMs = _worker.NowMs;
            _requestStartTicks = Stopwatch.GetTimestamp();
            _responseFlags = ResponseFlags.None;
            _attemptHost = null;
            _lastStatus = 0;
            _bytesReadAtStart = _downstream.BytesRead - _downstream.Input.Length;
            _bytesSentAtStart = _downstream.BytesWritten + _downstream.Output.Length;
            if (_accessLog is not null)
            {
                _requestStartUtc = DateTime.UtcNow;
            }

            if (_config.RequestHeadersTimeout > TimeSpan.Zero)
            {
                _worker.Timers.Arm(_downstreamTimer, _worker.NowMs, (long)_config.RequestHeadersTimeout.TotalMilliseconds);
            }
        }

        var collector = new RequestHeadCollector(_head);
        var result = _requestParser.Parse(ref collector, _downstream.Input.AsSequence());
        _downstream.Input.Consume(result.Consumed, _worker.Pool);
        if (result.Status == Http1ParseStatus.NeedMoreData)
        {
            return false;
        }

        _stats.RequestsTotal++;
        _stats.RequestsActive++;
        _requestActive = true;
        if (result.Status == Http1ParseStatus.Error)
        {
            _stats.BadRequests++;
            SendLocalReply(result.StatusToSend == 0 ? 400 : result.StatusToSend, Http1ReasonPhrases.For(result.StatusToSend == 0 ? 400 : result.StatusToSend), close: true);
            return false;
        }

        _worker.Timers.Cancel(_downstreamTimer);
        _request = _requestParser.Head;
        _keepAlive = _request.KeepAlive && !_draining;
        _requestComplete = _request.Framing.Kind == Http1BodyKind.None;
        _requestBodyStarted = false;
        _requestBody = new Http1BodyReader(_request.Framing, _limits);
        if (_config.MaxRequestBodyBytes > 0 && _request.Framing.Kind == Http1BodyKind.ContentLength
            && _request.Framing.ContentLength > _config.MaxRequestBodyBytes)
        {
            _stats.BadRequests++;
            SendLocalReply(413, "request body too large"u8, close: true);
            return false;
        }

        _route = _routes.Route(_head);
        if (_route is null)
        {
            _responseFlags = ResponseFlags.NoRoute;
            SendLocalReply(404, "no route"u8, close: !_requestComplete);
            return _phase == Phase.Idle;
        }

        switch (_route.Action)
        {
            case RouteAction.DirectResponse:
                SendLocalReply(_route.Config.DirectResponse!.Status, _route.DirectBody, close: !_requestComplete);
                return _phase == Phase.Idle;
            case RouteAction.Redirect:
                SendRedirect(_route);
                return _phase == Phase.Idle;
        }

        if (!_worker.Overload.TryAdmit(rpc: false))
        {
            // The memory budget's overload action: Envoy's stop_accepting_requests reply.
            _responseFlags = ResponseFlags.Overloaded;
            SendLocalReply(503, "envoy overloaded"u8, close: !_requestComplete);
            return _phase == Phase.Idle;
        }

        BeginProxying();

        // Usually false (the exchange goes on); true when it ended at once (a full circuit breaker,
        // a connect refused everywhere), so a pipelined request behind it is read now.
        return _phase == Phase.Idle;
    }

    /// <summary>
    /// Moves the request body (as it came: chunk framing included) from the downstream input to the
    /// upstream, only once the upstream is connected so that a failed connect can still be retried
    /// elsewhere with nothing lost.
    /// </summary>
    private void ForwardRequestBody()
    {
        if (_requestComplete || _upstream is not { Connected: true } upstream || !_requestHeadSent)
        {
            // Not connected yet: hold the body, but do not read without bound meanwhile.
            PauseDownstream(_downstream.Input.Length > _bufferLimit);
            return;
        }

        var noTrailers = default(NoTrailers);
        while (!_downstream.Input.IsEmpty && !_requestComplete)
        {
            var step = _requestBody.Read(ref noTrailers, _downstream.Input.AsSequence());
            if (step.Kind == Http1BodyStepKind.Error)
            {
                _stats.BadRequests++;
                FailRequest(400, Http1ReasonPhrases.For(400), upstreamReusable: false);
                return;
            }

            if (step.Consumed > 0)
            {
                _requestBodyStarted = true;
                _downstream.Input.MovePrefixTo(_staging, step.Consumed, _worker.Pool);
                upstream.Connection.Write(_staging);
            }

            if (step.Kind == Http1BodyStepKind.Complete)
            {
                _requestComplete = true;
            }
            else if (step.Kind == Http1BodyStepKind.NeedMoreData)
            {
                break;
            }
        }

        if (!_requestComplete && _downstream.ReadEof)
        {
            // The client closed with its body unfinished: the request can never complete, so the
            // upstream is not left waiting for the rest until the route timeout.
            _stats.BadRequests++;
            FailRequest(400, "request body incomplete"u8, upstreamReusable: false);
        }
    }

    /// <summary>Answers the current request from the proxy itself; <paramref name="close"/> ends the connection after it.</summary>
    private void SendLocalReply(int status, ReadOnlySpan<byte> body, bool close)
    {
        _stats.LocalReplies++;
        close |= !_keepAlive;
        Http1LocalReply.Write(_writer, status, body, close, omitBody: _request.Method == Http1Method.Head);
        FinishLocally(status, close);
    }

    private void SendRedirect(CompiledRoute route)
    {
        _stats.LocalReplies++;
        var close = !_keepAlive || !_requestComplete;
        LocalResponses.WriteRedirect(_writer, route.Config.Redirect!, _head, close, _downstream.Tls is not null);
        FinishLocally(route.Config.Redirect!.Status, close);
    }

    private void FinishLocally(int status, bool close)
    {
        _downstream.Write(_staging);
        RecordResponse(status);
        EndRequest();
        if (close)
        {
            CloseAfterReply();
        }
        else
        {
            EnterIdle();
        }
    }

    /// <summary>The request is over (answered or abandoned): stats, and its storage goes back.</summary>
    private void EndRequest()
    {
        if (_requestActive)
        {
            _requestActive = false;
            _stats.RequestsActive--;
            var elapsed = Stopwatch.GetElapsedTime(_requestStartTicks);
            _stats.RecordDuration((long)elapsed.TotalMicroseconds);
            _accessLog?.Append(new AccessLogEntry
            {
                Head = _head,
                StartUtc = _requestStartUtc,
                Status = _lastStatus,
                Flags = ResponseFlagCodes.Of(_responseFlags),
                BytesReceived = _downstream.BytesRead - _bytesReadAtStart,
                BytesSent = _downstream.BytesWritten + _downstream.Output.Length - _bytesSentAtStart,
                DurationMs = (long)elapsed.TotalMilliseconds,
                UpstreamHost = _attemptHost?.Address,
                ClientAddress = _clientAddress,
            });
        }

        ReleaseBreakerSlots();
        _head.End();
        _route = null;
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
