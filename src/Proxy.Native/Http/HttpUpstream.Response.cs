using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Http;

/// <summary>Reading the response: its head into a neutral <see cref="ResponseHead"/>, its body decoded to bytes, its trailers as fields.</summary>
internal sealed partial class HttpUpstream
{
    private readonly ResponseHead _responseHead = new();
    private readonly HeaderBlock _responseTrailers = new();
    private Http1ResponseParser _parser;
    private Http1ResponseHead _response;
    private Http1BodyReader _responseBody;
    private Http1ParserLimits _limits;
    private Http1Method _method;
    private bool _upgradeRequested;
    private bool _headDone;
    private bool _responseComplete;
    private bool _answered;
    private bool _tunnel;

    private void BeginResponse(RequestHead request, int maxHeadBytes)
    {
        _limits = new Http1ParserLimits(8 * 1024, maxHeadBytes, 100);
        _method = request.Method;
        _upgradeRequested = request.IsUpgrade;
        _parser = new Http1ResponseParser(_limits, _method);
        _responseHead.Begin();
        _responseTrailers.End();
        _headDone = _responseComplete = _answered = _tunnel = false;
    }

    private void EndMessages()
    {
        _responseHead.End();
        _responseTrailers.End();
    }

    private void ReadResponse()
    {
        var input = Connection.Input;
        var user = User!;
        if (_tunnel)
        {
            user.OnResponseData(this, input, input.Length);
            return;
        }

        while (!_headDone)
        {
            if (input.IsEmpty)
            {
                return;
            }

            // A response has begun: from here a lost connection is no proof the request went unprocessed.
            _answered = true;
            var collector = new ResponseHeadCollector(_responseHead);
            var result = _parser.Parse(ref collector, input.AsSequence());
            input.Consume(result.Consumed, _blocks);
            if (result.Status == Http1ParseStatus.NeedMoreData)
            {
                return;
            }

            if (result.Status == Http1ParseStatus.Error)
            {
                user.OnResponseInvalid(this);
                return;
            }

            var head = _parser.Head;
            if (head.IsInterim)
            {
                // 100 Continue, 103 Early Hints: passed on; the final response follows.
                user.OnResponseHead(this, _responseHead, endStream: false);
                if (User != user)
                {
                    return;
                }

                _responseHead.Begin();
                _parser.Reset(_method);
                continue;
            }

            _headDone = true;
            _response = head;
            _tunnel = head.IsTunnel && _upgradeRequested;
            _responseComplete = head.Framing.Kind == Http1BodyKind.None && !_tunnel;
            _responseBody = new Http1BodyReader(head.Framing, _limits);
            user.OnResponseHead(this, _responseHead, endStream: _responseComplete);
            if (User != user || _responseComplete)
            {
                return;
            }

            if (_tunnel)
            {
                // Whatever the upstream sent past its 101 goes across at once.
                if (!input.IsEmpty)
                {
                    user.OnResponseData(this, input, input.Length);
                }

                return;
            }
        }

        ReadResponseBody(user);
    }

    private void ReadResponseBody(IUpstreamStreamUser user)
    {
        var input = Connection.Input;
        var trailers = new TrailerCollector(_responseTrailers);
        while (!_responseComplete && !input.IsEmpty)
        {
            var step = _responseBody.Read(ref trailers, input.AsSequence());
            if (step.Kind == Http1BodyStepKind.Error)
            {
                user.OnResponseInvalid(this);
                return;
            }

            if (step.DataLength > 0)
            {
                input.Consume(step.DataOffset, _blocks);
                user.OnResponseData(this, input, step.DataLength);
                if (User != user)
                {
                    return;
                }

                input.Consume(step.Consumed - step.DataOffset - step.DataLength, _blocks);
            }
            else
            {
                input.Consume(step.Consumed, _blocks);
            }

            if (step.Kind == Http1BodyStepKind.Complete)
            {
                _responseComplete = true;
                user.OnResponseEnd(this, _responseTrailers.FieldCount > 0 ? _responseTrailers : null);
                return;
            }

            if (step.Kind == Http1BodyStepKind.NeedMoreData)
            {
                return;
            }
        }
    }
}
