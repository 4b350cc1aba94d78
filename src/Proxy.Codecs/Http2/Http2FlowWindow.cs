namespace MeshEdge.Codecs.Http2;

/// <summary>
/// One flow-control window (a stream's or the connection's), as either side keeps it (RFC 9113 §6.9).
/// It may go negative when SETTINGS_INITIAL_WINDOW_SIZE shrinks (§6.9.2) and may never pass 2^31-1.
/// Each operation returns the error the spec names, so the session only forwards it.
/// </summary>
internal struct Http2FlowWindow
{
    private long _available;

    public Http2FlowWindow(int initialSize)
    {
        _available = initialSize;
    }

    /// <summary>Bytes that may still be sent (or received) before a WINDOW_UPDATE; negative after a shrink.</summary>
    public readonly int Available => (int)_available;

    /// <summary>What a sender may send now: never negative.</summary>
    public readonly int Sendable => (int)Math.Max(_available, 0);

    /// <summary>
    /// Takes <paramref name="length"/> bytes of DATA (its whole payload, padding included). A receiver
    /// that sees more than it allowed answers FLOW_CONTROL_ERROR: on the connection's window a
    /// connection error, on a stream's a stream error (§6.9.1).
    /// </summary>
    public Http2Error Consume(int length, uint streamId)
    {
        if (length < 0 || length > _available)
        {
            return streamId == 0
                ? Http2Error.Connection(Http2ErrorCode.FlowControlError, Http2ErrorReason.WindowExceeded)
                : Http2Error.Stream(Http2ErrorCode.FlowControlError, Http2ErrorReason.WindowExceeded, streamId);
        }

        _available -= length;
        return Http2Error.None;
    }

    /// <summary>
    /// Applies a WINDOW_UPDATE (increment 1..2^31-1, as the frame reader guarantees). Past 2^31-1 is a
    /// FLOW_CONTROL_ERROR, connection-wide for stream 0, on the stream otherwise (§6.9.1); the window is
    /// left as it was.
    /// </summary>
    public Http2Error Grow(int increment, uint streamId)
    {
        if (increment <= 0 || _available + increment > Http2Constants.MaxWindowSize)
        {
            return streamId == 0
                ? Http2Error.Connection(Http2ErrorCode.FlowControlError, Http2ErrorReason.WindowOverflow)
                : Http2Error.Stream(Http2ErrorCode.FlowControlError, Http2ErrorReason.WindowOverflow, streamId);
        }

        _available += increment;
        return Http2Error.None;
    }

    /// <summary>
    /// Follows a change of SETTINGS_INITIAL_WINDOW_SIZE from <paramref name="oldInitialSize"/> to
    /// <paramref name="newInitialSize"/> on an open stream's window (never the connection's): the
    /// difference is added, and a result past 2^31-1 is a connection FLOW_CONTROL_ERROR (§6.9.2).
    /// </summary>
    public Http2Error Resize(int oldInitialSize, int newInitialSize)
    {
        var resized = _available + newInitialSize - (long)oldInitialSize;
        if (resized > Http2Constants.MaxWindowSize)
        {
            return Http2Error.Connection(Http2ErrorCode.FlowControlError, Http2ErrorReason.WindowOverflow);
        }

        _available = resized;
        return Http2Error.None;
    }
}
