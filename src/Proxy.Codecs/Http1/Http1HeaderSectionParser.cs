using System.Buffers;

namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Field lines up to the empty line, shared by request heads, response heads and chunked trailers.
/// Counts bytes and fields against the limits as it goes, so a slow or endless head is cut off
/// without ever being held whole.
/// </summary>
internal struct Http1HeaderSectionParser
{
    private readonly bool _isTrailer;
    private int _bytes;
    private int _count;

    public Http1HeaderSectionParser(bool isTrailer)
    {
        _isTrailer = isTrailer;
        Facts = Http1HeadFacts.Empty;
    }

    /// <summary>Framing and connection facts of the fields seen so far (not gathered for trailers).</summary>
    public Http1HeadFacts Facts;

    /// <summary>
    /// Delivers complete field lines and advances past them. Returns Complete once the empty line is
    /// consumed, NeedMoreData when the input ends inside the section, Error with the reason otherwise.
    /// </summary>
    public Http1ParseStatus Parse<THandler>(ref THandler handler, ref SequenceReader<byte> reader, in Http1ParserLimits limits, out Http1Error error)
        where THandler : IHttp1HeaderHandler
    {
        while (true)
        {
            var budget = limits.MaxHeaderBytes - _bytes;
            var start = reader.Consumed;
            if (Http1LineReader.TryReadInSpan(ref reader, budget, out var line))
            {
                error = OnLine(ref handler, line, (int)(reader.Consumed - start), limits, out var done);
                if (error != Http1Error.None || done)
                {
                    return error == Http1Error.None ? Http1ParseStatus.Complete : Http1ParseStatus.Error;
                }

                continue;
            }

            switch (Http1LineReader.TryRead(ref reader, budget, out var straddling))
            {
                case Http1LineStatus.NeedMoreData:
                    error = Http1Error.None;
                    return Http1ParseStatus.NeedMoreData;
                case Http1LineStatus.TooLong:
                    error = Http1Error.HeaderSectionTooLarge;
                    return Http1ParseStatus.Error;
                case Http1LineStatus.BareLineFeed:
                    error = Http1Error.BareLineFeed;
                    return Http1ParseStatus.Error;
            }

            using (var buffer = new Http1LineBuffer(straddling))
            {
                error = OnLine(ref handler, buffer.Span, (int)(reader.Consumed - start), limits, out var done);
                if (error != Http1Error.None || done)
                {
                    return error == Http1Error.None ? Http1ParseStatus.Complete : Http1ParseStatus.Error;
                }
            }
        }
    }

    /// <summary>Accounts for one line (CRLF included in <paramref name="lineBytes"/>) and delivers it; the empty line ends the section.</summary>
    private Http1Error OnLine<THandler>(ref THandler handler, ReadOnlySpan<byte> line, int lineBytes, in Http1ParserLimits limits, out bool done)
        where THandler : IHttp1HeaderHandler
    {
        _bytes += lineBytes;
        done = line.IsEmpty;
        if (done)
        {
            return Http1Error.None;
        }

        return ++_count > limits.MaxHeaderCount ? Http1Error.TooManyHeaders : DeliverField(ref handler, line);
    }

    private Http1Error DeliverField<THandler>(ref THandler handler, ReadOnlySpan<byte> line)
        where THandler : IHttp1HeaderHandler
    {
        var error = Http1FieldLine.Parse(line, out var name, out var value);
        if (error != Http1Error.None)
        {
            return error;
        }

        var header = Http1KnownHeaders.Classify(name);
        if (!_isTrailer && header != Http1KnownHeader.Unknown)
        {
            error = Facts.Observe(header, value);
            if (error != Http1Error.None)
            {
                return error;
            }
        }

        handler.OnHeader(header, name, value);
        return Http1Error.None;
    }
}
