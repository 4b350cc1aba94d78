using System.Buffers;

namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Streams a body through without holding it: each call says how many of the available bytes are
/// body data and where the message ends, whatever the framing. Chunked bodies are decoded to their
/// data runs (extensions skipped, trailers passed to the handler); the reader never buffers anything
/// itself, so memory stays bounded by what the caller already holds.
/// </summary>
internal struct Http1BodyReader
{
    /// <summary>A chunk-size line carries only a size and extensions; 4 KiB is generous for both.</summary>
    private const int MaxChunkSizeLineBytes = 4096;

    private readonly Http1ParserLimits _limits;
    private readonly Http1BodyKind _kind;
    private State _state;
    private long _remaining;
    private Http1HeaderSectionParser _trailers;

    public Http1BodyReader(Http1BodyFraming framing, Http1ParserLimits limits)
    {
        _limits = limits;
        _kind = framing.Kind;
        _remaining = framing.ContentLength;
        _state = framing.Kind switch
        {
            Http1BodyKind.None => State.Done,
            Http1BodyKind.Chunked => State.ChunkSize,
            _ => State.Data,
        };
        _trailers = new Http1HeaderSectionParser(isTrailer: true);
    }

    private enum State : byte
    {
        Data,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Done,
        Failed,
    }

    public readonly bool IsComplete => _state == State.Done;

    /// <summary>Body bytes still expected: the rest of a Content-Length body or of the current chunk.</summary>
    public readonly long Remaining => _remaining;

    /// <param name="trailerHandler">Receives the trailer fields of a chunked body (never called otherwise).</param>
    public Http1BodyStep Read<THandler>(ref THandler trailerHandler, in ReadOnlySequence<byte> input)
        where THandler : IHttp1HeaderHandler
    {
        switch (_state)
        {
            case State.Done:
                return Http1BodyStep.Complete(0);
            case State.Failed:
                throw new InvalidOperationException("The body framing already failed; the connection must close.");
            case State.Data:
                return ReadUnchunked(input.Length);
            default:
                var reader = new SequenceReader<byte>(input);
                return ReadChunked(ref trailerHandler, ref reader);
        }
    }

    private Http1BodyStep ReadUnchunked(long available)
    {
        if (_kind == Http1BodyKind.UntilClose)
        {
            return available == 0 ? Http1BodyStep.NeedMoreData(0) : Http1BodyStep.Data(available, 0, available);
        }

        var length = Math.Min(_remaining, available);
        _remaining -= length;
        if (_remaining > 0)
        {
            return length == 0 ? Http1BodyStep.NeedMoreData(0) : Http1BodyStep.Data(length, 0, length);
        }

        _state = State.Done;
        return Http1BodyStep.Complete(length, 0, length);
    }

    private Http1BodyStep ReadChunked<THandler>(ref THandler handler, ref SequenceReader<byte> reader)
        where THandler : IHttp1HeaderHandler
    {
        while (true)
        {
            switch (_state)
            {
                case State.ChunkSize:
                    var error = ReadChunkSize(ref reader, out var found);
                    if (error != Http1Error.None)
                    {
                        return Fail(error, reader.Consumed);
                    }

                    if (!found)
                    {
                        return Http1BodyStep.NeedMoreData(reader.Consumed);
                    }

                    break;
                case State.ChunkData:
                    if (reader.Remaining == 0)
                    {
                        return Http1BodyStep.NeedMoreData(reader.Consumed);
                    }

                    var offset = reader.Consumed;
                    var length = Math.Min(_remaining, reader.Remaining);
                    reader.Advance(length);
                    _remaining -= length;
                    if (_remaining == 0)
                    {
                        _state = State.ChunkDataEnd;
                    }

                    return Http1BodyStep.Data(reader.Consumed, offset, length);
                case State.ChunkDataEnd:
                    // Exactly CRLF after the data: anything else means the size lied (§7.1).
                    if (reader.Remaining < 2)
                    {
                        return reader.Remaining == 1 && !reader.IsNext(Http1Chars.Cr)
                            ? Fail(Http1Error.MissingChunkCrlf, reader.Consumed)
                            : Http1BodyStep.NeedMoreData(reader.Consumed);
                    }

                    if (!reader.IsNext("\r\n"u8, advancePast: true))
                    {
                        return Fail(Http1Error.MissingChunkCrlf, reader.Consumed);
                    }

                    _state = State.ChunkSize;
                    break;
                case State.Trailers:
                    var status = _trailers.Parse(ref handler, ref reader, _limits, out var trailerError);
                    if (status == Http1ParseStatus.NeedMoreData)
                    {
                        return Http1BodyStep.NeedMoreData(reader.Consumed);
                    }

                    if (status == Http1ParseStatus.Error)
                    {
                        return Fail(trailerError, reader.Consumed);
                    }

                    _state = State.Done;
                    return Http1BodyStep.Complete(reader.Consumed);
            }
        }
    }

    private Http1Error ReadChunkSize(ref SequenceReader<byte> reader, out bool found)
    {
        found = false;
        switch (Http1LineReader.TryRead(ref reader, MaxChunkSizeLineBytes, out var line))
        {
            case Http1LineStatus.NeedMoreData:
                return Http1Error.None;
            case Http1LineStatus.TooLong:
                return Http1Error.ChunkSizeLineTooLong;
            case Http1LineStatus.BareLineFeed:
                return Http1Error.BareLineFeed;
        }

        using var buffer = new Http1LineBuffer(line);
        var error = Http1ChunkSizeLine.Parse(buffer.Span, out var size);
        if (error != Http1Error.None)
        {
            return error;
        }

        found = true;
        _remaining = size;
        _state = size == 0 ? State.Trailers : State.ChunkData;
        return Http1Error.None;
    }

    private Http1BodyStep Fail(Http1Error error, long consumed)
    {
        _state = State.Failed;
        return Http1BodyStep.Failed(error, consumed);
    }
}
