using System.Diagnostics;
using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Http;

/// <summary>Reading: request heads into the neutral <see cref="RequestHead"/>, bodies decoded to their bytes, both handed to the exchange.</summary>
internal sealed partial class Http1DownstreamConnection
{
    private void ProcessInput()
    {
        // An exchange can end inside a call made from here (a local reply, a response already
        // complete); Finish then leaves the next pipelined request to this loop.
        _processing = true;
        try
        {
            while (true)
            {
                switch (_phase)
                {
                    case Phase.Idle or Phase.ReadingHead:
                        if (_downstream.Input.IsEmpty || HandedOverOrWaitingForPreface() || !ReadRequestHead())
                        {
                            return;
                        }

                        // A head completed and was answered at once; a pipelined request may follow.
                        continue;
                    case Phase.Proxying:
                        ReadRequestBody();
                        if (_phase == Phase.Idle)
                        {
                            continue;
                        }

                        return;
                    case Phase.Lingering:
                        _downstream.Input.Clear(_worker.Pool);
                        return;
                    case Phase.Tunnel:
                        if (!_downstream.Input.IsEmpty)
                        {
                            Lease.Exchange.OnRequestData(_downstream.Input, _downstream.Input.Length);
                        }

                        return;
                    default:
                        return;
                }
            }
        }
        finally
        {
            _processing = false;
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
            _requestComplete = false;
            TakeLease();
            Lease.Head.Begin();
            Lease.Parser = new Http1RequestParser(_limits);
            _requestStartTicks = Stopwatch.GetTimestamp();
            if (_config.RequestHeadersTimeout > TimeSpan.Zero)
            {
                _worker.Timers.Arm(_timer, _worker.NowMs, (long)_config.RequestHeadersTimeout.TotalMilliseconds);
            }
        }

        var collector = new RequestHeadCollector(Lease.Head);
        var result = Lease.Parser.Parse(ref collector, _downstream.Input.AsSequence());
        _downstream.Input.Consume(result.Consumed, _worker.Pool);
        if (result.Status == Http1ParseStatus.NeedMoreData)
        {
            // Part of a head, nothing to answer yet: a client holding the rest for our ACK gets it now.
            _downstream.AckPromptly();
            return false;
        }

        Lease.Exchange.Start(_requestStartTicks, _current);
        if (result.Status == Http1ParseStatus.Error)
        {
            var status = result.StatusToSend == 0 ? 400 : result.StatusToSend;
            Lease.Exchange.Reject(status, Http1ReasonPhrases.For(status));
            return false;
        }

        _worker.Timers.Cancel(_timer);
        _request = Lease.Parser.Head;
        _keepAlive = _request.KeepAlive && !_draining && !_worker.KeepAliveDisabled;
        _requestComplete = _request.Framing.Kind == Http1BodyKind.None;
        Lease.Body = new Http1BodyReader(_request.Framing, _limits);
        MarkHopByHopFields();
        _phase = Phase.Proxying;
        Lease.Exchange.OnRequestHead(endStream: _requestComplete);

        // The loop goes on: to the body that may have come with the head, or, when the exchange
        // ended at once (a local reply, a full circuit breaker), to a pipelined request behind it.
        return _phase is Phase.Proxying or Phase.Idle;
    }

    /// <summary>
    /// What only this hop needs leaves the neutral head here: Connection and the fields it names,
    /// Keep-Alive, TE, Trailer and Transfer-Encoding (the upstream codec frames the body itself);
    /// Upgrade stays on an upgrade request.
    /// </summary>
    private void MarkHopByHopFields()
    {
        var head = Lease.Head;
        head.IsUpgrade = _request.IsUpgrade;
        head.DeclaredLength = _request.Framing.Kind == Http1BodyKind.ContentLength ? _request.Framing.ContentLength : -1;
        var connectionValue = head.ConnectionField >= 0 ? head.Value(head.ConnectionField) : default;
        var namesOthers = (_request.ConnectionOptions & Http1ConnectionOptions.NamesOtherHeaders) != 0;
        for (var i = 0; i < head.FieldCount; i++)
        {
            var known = head.Field(i).Known;
            if (known == Http1KnownHeader.TE && Http1ConnectionTokens.Lists(head.Value(i), "trailers"u8))
            {
                head.AcceptsTrailers = true;
            }

            if ((Http1KnownHeaders.IsHopByHop(known) && !(known == Http1KnownHeader.Upgrade && _request.IsUpgrade))
                || (namesOthers && Http1ConnectionTokens.Lists(connectionValue, head.Name(i))))
            {
                head.DropField(i);
            }
        }
    }

    /// <summary>Decodes what has arrived of the body and hands its bytes (not its framing) to the exchange.</summary>
    private void ReadRequestBody()
    {
        if (_requestComplete)
        {
            // A pipelined request waits for this response; do not read without bound meanwhile.
            PauseReading(_downstream.Input.Length > _bufferLimit);
            return;
        }

        var input = _downstream.Input;
        var trailers = new TrailerCollector(Lease.Trailers);
        while (!input.IsEmpty && !_requestComplete && _phase == Phase.Proxying)
        {
            var step = Lease.Body.Read(ref trailers, input.AsSequence());
            if (step.Kind == Http1BodyStepKind.Error)
            {
                _keepAlive = false;
                Lease.Exchange.OnRequestError(400, Http1ReasonPhrases.For(400));
                return;
            }

            if (step.DataLength > 0)
            {
                input.Consume(step.DataOffset, _worker.Pool);
                Lease.Exchange.OnRequestData(input, step.DataLength);
                if (_phase != Phase.Proxying)
                {
                    return;
                }

                input.Consume(step.Consumed - step.DataOffset - step.DataLength, _worker.Pool);
            }
            else
            {
                input.Consume(step.Consumed, _worker.Pool);
            }

            if (step.Kind == Http1BodyStepKind.Complete)
            {
                _requestComplete = true;
                Lease.Exchange.OnRequestEnd(Lease.Trailers.FieldCount > 0 ? Lease.Trailers : null);
            }
            else if (step.Kind == Http1BodyStepKind.NeedMoreData)
            {
                break;
            }
        }

        if (!_requestComplete && _phase == Phase.Proxying && !_downstream.ReadEof)
        {
            // The body goes on in later writes, and its response comes only after it.
            _downstream.AckPromptly();
        }

        if (!_requestComplete && _phase == Phase.Proxying && _downstream.ReadEof)
        {
            // The client closed with its body unfinished: the request can never complete, so the
            // upstream is not left waiting for the rest until the route timeout.
            Lease.Exchange.OnRequestError(400, "request body incomplete"u8);
        }
    }
}
