using System.Buffers;

namespace MeshEdge.Codecs.Http2;

/// <summary>
/// Reads frames one at a time from the start of the input, and keeps the little state that the
/// order of frames needs: the peer's first frame must be SETTINGS (§3.4), and once a HEADERS or
/// PUSH_PROMISE leaves its field block open, only that stream's CONTINUATION may follow (§6.10).
/// Frame size is checked on the header alone, so an oversized frame is refused before its bytes are
/// waited for. Keep one per connection; it holds no references.
/// </summary>
internal struct Http2FrameReader
{
    private bool _expectSettings;

    public Http2FrameReader(int maxFrameSize, bool expectSettingsFirst)
    {
        MaxFrameSize = maxFrameSize;
        _expectSettings = expectSettingsFirst;
        OpenFieldBlockStream = 0;
    }

    /// <summary>The SETTINGS_MAX_FRAME_SIZE we advertised; raise it only once the peer has acknowledged it.</summary>
    public int MaxFrameSize { get; set; }

    /// <summary>The stream whose field block awaits CONTINUATION frames, 0 when none is open.</summary>
    public uint OpenFieldBlockStream { get; private set; }

    /// <summary>
    /// The header of the frame at the start of <paramref name="input"/>, read across segments: lets the
    /// caller of a split frame know how many bytes to gather in one span before calling <see cref="Read"/>.
    /// </summary>
    public static bool TryPeekHeader(in ReadOnlySequence<byte> input, out Http2FrameHeader header)
    {
        header = default;
        if (input.Length < Http2Constants.FrameHeaderLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Http2Constants.FrameHeaderLength];
        input.Slice(0, Http2Constants.FrameHeaderLength).CopyTo(bytes);
        header = Http2FrameHeader.Read(bytes);
        return true;
    }

    public Http2ReadResult Read(ReadOnlySpan<byte> input, out Http2Frame frame)
    {
        frame = default;
        if (input.Length < Http2Constants.FrameHeaderLength)
        {
            return Http2ReadResult.NeedMoreData();
        }

        var header = Http2FrameHeader.Read(input);
        var sequenceError = CheckSequence(header);
        if (sequenceError.IsError)
        {
            return Http2ReadResult.Failed(sequenceError, header.FrameLength);
        }

        if (input.Length < header.FrameLength)
        {
            return Http2ReadResult.NeedMoreData(header.FrameLength);
        }

        var error = Http2FramePayload.Parse(header, input.Slice(Http2Constants.FrameHeaderLength, header.Length), out frame);
        if (error.IsConnectionError)
        {
            frame = default;
            return Http2ReadResult.Failed(error, header.FrameLength);
        }

        Advance(header);
        return error.IsError ? Http2ReadResult.Failed(error, header.FrameLength) : Http2ReadResult.Complete(header.FrameLength);
    }

    /// <summary>What the header alone decides: size, and whether this type may come now.</summary>
    private readonly Http2Error CheckSequence(in Http2FrameHeader header)
    {
        if (header.Length > MaxFrameSize)
        {
            return Http2Error.Connection(Http2ErrorCode.FrameSizeError, Http2ErrorReason.FrameTooLarge);
        }

        if (_expectSettings && (header.Type != Http2FrameType.Settings || header.HasFlag(Http2FrameFlags.Ack)))
        {
            return Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.FirstFrameNotSettings);
        }

        if (OpenFieldBlockStream != 0)
        {
            return header.Type == Http2FrameType.Continuation && header.StreamId == OpenFieldBlockStream
                ? Http2Error.None
                : Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.ContinuationExpected);
        }

        return header.Type == Http2FrameType.Continuation
            ? Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.UnexpectedContinuation)
            : Http2Error.None;
    }

    /// <summary>Updates the sequence state after a frame that was read whole (a stream error included).</summary>
    private void Advance(in Http2FrameHeader header)
    {
        _expectSettings = false;
        if (header.Type is Http2FrameType.Headers or Http2FrameType.PushPromise or Http2FrameType.Continuation)
        {
            OpenFieldBlockStream = header.HasFlag(Http2FrameFlags.EndHeaders) ? 0 : header.StreamId;
        }
    }
}
