using System.Buffers;

namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Incremental response-head parser, the mirror of <see cref="Http1RequestParser"/>. Whether a
/// response has a body depends on the request it answers (HEAD, CONNECT), so the caller names the
/// request's method when it resets the parser. After a 1xx interim head (<see cref="Http1ResponseHead.IsInterim"/>)
/// reset with the same method and parse the final response from the remaining bytes.
/// Any error here is the upstream's fault: the status to send downstream is 502.
/// </summary>
internal struct Http1ResponseParser
{
    private readonly Http1ParserLimits _limits;
    private Phase _phase;
    private Http1Method _requestMethod;
    private Http1Version _version;
    private int _statusCode;
    private Http1HeaderSectionParser _headers;

    public Http1ResponseParser(Http1ParserLimits limits, Http1Method requestMethod)
    {
        _limits = limits;
        Reset(requestMethod);
    }

    private enum Phase : byte
    {
        StatusLine,
        Headers,
        Complete,
        Failed,
    }

    /// <summary>The framing and connection decisions; valid once Parse has returned Complete.</summary>
    public Http1ResponseHead Head { get; private set; }

    public void Reset(Http1Method requestMethod)
    {
        _phase = Phase.StatusLine;
        _requestMethod = requestMethod;
        _headers = new Http1HeaderSectionParser(isTrailer: false);
        Head = default;
    }

    public Http1ParseResult Parse<THandler>(ref THandler handler, in ReadOnlySequence<byte> input)
        where THandler : IHttp1ResponseHandler
    {
        if (_phase is Phase.Complete or Phase.Failed)
        {
            throw new InvalidOperationException("Reset the parser before parsing the next response.");
        }

        var reader = new SequenceReader<byte>(input);
        if (_phase == Phase.StatusLine)
        {
            switch (Http1LineReader.TryRead(ref reader, _limits.MaxStartLineBytes, out var line))
            {
                case Http1LineStatus.NeedMoreData:
                    return Http1ParseResult.NeedMoreData(0);
                case Http1LineStatus.TooLong:
                    return Fail(Http1Error.StartLineTooLong, 0);
                case Http1LineStatus.BareLineFeed:
                    return Fail(Http1Error.BareLineFeed, 0);
            }

            var error = DeliverStatusLine(ref handler, line);
            if (error != Http1Error.None)
            {
                return Fail(error, reader.Consumed);
            }

            _phase = Phase.Headers;
        }

        var status = _headers.Parse(ref handler, ref reader, _limits, out var headerError);
        return status switch
        {
            Http1ParseStatus.NeedMoreData => Http1ParseResult.NeedMoreData(reader.Consumed),
            Http1ParseStatus.Error => Fail(headerError, reader.Consumed),
            _ => CompleteHead(reader.Consumed),
        };
    }

    private Http1Error DeliverStatusLine<THandler>(ref THandler handler, in ReadOnlySequence<byte> line)
        where THandler : IHttp1ResponseHandler
    {
        if (line.IsEmpty)
        {
            return Http1Error.InvalidStatusLine;
        }

        using var buffer = new Http1LineBuffer(line);
        var error = Http1StartLine.ParseStatusLine(buffer.Span, out _version, out _statusCode, out var reason);
        if (error == Http1Error.None)
        {
            handler.OnStatusLine(_version, _statusCode, reason);
        }

        return error;
    }

    private Http1ParseResult CompleteHead(long consumed)
    {
        ref readonly var facts = ref _headers.Facts;
        var error = Http1FramingRules.ForResponse(facts, _version, _statusCode, _requestMethod, out var framing, out var isTunnel);
        if (error != Http1Error.None)
        {
            return Fail(error, consumed);
        }

        // A body that runs to the close leaves nothing to keep alive.
        var keepAlive = framing.Kind != Http1BodyKind.UntilClose && facts.WantsKeepAlive(_version);
        Head = new Http1ResponseHead(_statusCode, _version, framing, keepAlive, isTunnel, facts.ConnectionOptions);
        _phase = Phase.Complete;
        return Http1ParseResult.Complete(consumed);
    }

    private Http1ParseResult Fail(Http1Error error, long consumed)
    {
        _phase = Phase.Failed;
        return Http1ParseResult.Failed(error, consumed, Http1ErrorStatus.BadGateway);
    }
}
