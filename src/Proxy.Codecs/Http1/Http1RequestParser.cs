using System.Buffers;

namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Incremental request-head parser. Each call takes the unconsumed input (the block chain as a
/// sequence), hands every complete line to the handler and reports how far it got; when the head is
/// complete it stops exactly at its end, so a pipelined next request stays in the input. Keep one per
/// connection and <see cref="Reset"/> it between messages: it holds no references, only counters.
/// </summary>
internal struct Http1RequestParser
{
    private readonly Http1ParserLimits _limits;
    private Phase _phase;
    private Http1Method _method;
    private Http1Version _version;
    private int _emptyLineBytes;
    private Http1HeaderSectionParser _headers;

    public Http1RequestParser(Http1ParserLimits limits)
    {
        _limits = limits;
        Reset();
    }

    private enum Phase : byte
    {
        StartLine,
        Headers,
        Complete,
        Failed,
    }

    /// <summary>The framing and connection decisions; valid once Parse has returned Complete.</summary>
    public Http1RequestHead Head { get; private set; }

    public void Reset()
    {
        _phase = Phase.StartLine;
        _emptyLineBytes = 0;
        _headers = new Http1HeaderSectionParser(isTrailer: false);
        Head = default;
    }

    public Http1ParseResult Parse<THandler>(ref THandler handler, in ReadOnlySequence<byte> input)
        where THandler : IHttp1RequestHandler
    {
        if (_phase is Phase.Complete or Phase.Failed)
        {
            throw new InvalidOperationException("Reset the parser before parsing the next request.");
        }

        var reader = new SequenceReader<byte>(input);
        if (_phase == Phase.StartLine)
        {
            var error = ParseRequestLine(ref handler, ref reader, out var found);
            if (error != Http1Error.None)
            {
                return Fail(error, reader.Consumed);
            }

            if (!found)
            {
                return Http1ParseResult.NeedMoreData(reader.Consumed);
            }

            _phase = Phase.Headers;
        }

        var status = _headers.Parse(ref handler, ref reader, _limits, out var headerError);
        if (status == Http1ParseStatus.NeedMoreData)
        {
            return Http1ParseResult.NeedMoreData(reader.Consumed);
        }

        if (status == Http1ParseStatus.Error)
        {
            return Fail(headerError, reader.Consumed);
        }

        return CompleteHead(reader.Consumed);
    }

    private Http1Error ParseRequestLine<THandler>(ref THandler handler, ref SequenceReader<byte> reader, out bool found)
        where THandler : IHttp1RequestHandler
    {
        found = false;
        while (true)
        {
            var fast = Http1LineReader.TryReadInSpan(ref reader, _limits.MaxStartLineBytes, out var line);
            if (!fast)
            {
                switch (Http1LineReader.TryRead(ref reader, _limits.MaxStartLineBytes, out var straddling))
                {
                    case Http1LineStatus.NeedMoreData:
                        return Http1Error.None;
                    case Http1LineStatus.TooLong:
                        return ClassifyTooLongLine(reader.UnreadSequence);
                    case Http1LineStatus.BareLineFeed:
                        return Http1Error.BareLineFeed;
                }

                using var buffer = new Http1LineBuffer(straddling);
                var slowError = OnRequestLine(ref handler, buffer.Span, ref found);
                if (slowError != Http1Error.None || found)
                {
                    return slowError;
                }

                continue;
            }

            var error = OnRequestLine(ref handler, line, ref found);
            if (error != Http1Error.None || found)
            {
                return error;
            }
        }
    }

    /// <summary>Delivers the request line; an empty line before it is skipped (found stays false).</summary>
    private Http1Error OnRequestLine<THandler>(ref THandler handler, ReadOnlySpan<byte> line, ref bool found)
        where THandler : IHttp1RequestHandler
    {
        // RFC 9112 §2.2: empty lines before a request line (a client's stray CRLF after a body) are
        // skipped, but only as many as would fit in a request line, so they cannot go on forever.
        if (line.IsEmpty)
        {
            _emptyLineBytes += 2;
            return _emptyLineBytes > _limits.MaxStartLineBytes ? Http1Error.StartLineTooLong : Http1Error.None;
        }

        var error = Http1StartLine.ParseRequestLine(line, out var methodToken, out var target, out _version);
        if (error != Http1Error.None)
        {
            return error;
        }

        _method = Http1Methods.Classify(methodToken);
        handler.OnRequestLine(_method, methodToken, target, _version);
        found = true;
        return Http1Error.None;
    }

    /// <summary>
    /// 414 once the method has ended: the version is 8 bytes, so what outgrew the line is the target
    /// (RFC 9112 §3: a too-long target gets 414). 400 when the method itself never ended.
    /// </summary>
    private readonly Http1Error ClassifyTooLongLine(ReadOnlySequence<byte> unread)
    {
        var window = unread.Slice(0, Math.Min(unread.Length, _limits.MaxStartLineBytes));
        return window.PositionOf(Http1Chars.Space) is null ? Http1Error.StartLineTooLong : Http1Error.UriTooLong;
    }

    private Http1ParseResult CompleteHead(long consumed)
    {
        ref readonly var facts = ref _headers.Facts;
        var error = Http1FramingRules.ForRequest(facts, _version, out var framing);
        if (error != Http1Error.None)
        {
            return Fail(error, consumed);
        }

        var isHttp11 = _version == Http1Version.Http11;

        // Expect and Upgrade mean nothing in HTTP/1.0 and must be ignored there (RFC 9110 §10.1.1, §7.8).
        Head = new Http1RequestHead(
            _method,
            _version,
            framing,
            facts.WantsKeepAlive(_version),
            expectContinue: isHttp11 && facts.ExpectContinue,
            isUpgrade: isHttp11 && facts.AsksForUpgrade,
            facts.ConnectionOptions);
        _phase = Phase.Complete;
        return Http1ParseResult.Complete(consumed);
    }

    private Http1ParseResult Fail(Http1Error error, long consumed)
    {
        _phase = Phase.Failed;
        return Http1ParseResult.Failed(error, consumed, Http1ErrorStatus.ForRequest(error));
    }
}
