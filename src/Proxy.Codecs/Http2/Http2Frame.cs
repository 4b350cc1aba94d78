namespace MeshEdge.Codecs.Http2;

/// <summary>
/// One frame as views over the input, valid until the input's bytes are released. The fields a type
/// does not carry stay zero.
/// </summary>
internal readonly ref struct Http2Frame
{
    public Http2FrameHeader Header { get; init; }

    /// <summary>The whole payload, padding included.</summary>
    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>
    /// What the frame carries, padding and fixed fields removed: DATA's content, the field block
    /// fragment of HEADERS, PUSH_PROMISE and CONTINUATION, GOAWAY's debug data, PING's eight opaque
    /// bytes, SETTINGS' entries (read them through <see cref="Settings"/>), an extension frame's payload.
    /// </summary>
    public ReadOnlySpan<byte> Data { get; init; }

    /// <summary>Set on HEADERS with the PRIORITY flag and on PRIORITY.</summary>
    public Http2Priority Priority { get; init; }

    public bool HasPriority { get; init; }

    /// <summary>RST_STREAM's and GOAWAY's code. An unknown code is kept as it came (§7: treat it as INTERNAL_ERROR if it matters).</summary>
    public Http2ErrorCode ErrorCode { get; init; }

    /// <summary>GOAWAY.</summary>
    public uint LastStreamId { get; init; }

    /// <summary>PUSH_PROMISE.</summary>
    public uint PromisedStreamId { get; init; }

    /// <summary>WINDOW_UPDATE, 1..2^31-1.</summary>
    public int WindowIncrement { get; init; }

    public Http2FrameType Type => Header.Type;

    public uint StreamId => Header.StreamId;

    /// <summary>END_STREAM on DATA and HEADERS.</summary>
    public bool EndStream => Header.Type is Http2FrameType.Data or Http2FrameType.Headers && Header.HasFlag(Http2FrameFlags.EndStream);

    /// <summary>END_HEADERS on HEADERS, PUSH_PROMISE and CONTINUATION.</summary>
    public bool EndHeaders => Header.Type is Http2FrameType.Headers or Http2FrameType.PushPromise or Http2FrameType.Continuation
        && Header.HasFlag(Http2FrameFlags.EndHeaders);

    /// <summary>ACK on SETTINGS and PING.</summary>
    public bool IsAck => Header.Type is Http2FrameType.Settings or Http2FrameType.Ping && Header.HasFlag(Http2FrameFlags.Ack);

    /// <summary>A DATA frame's whole payload counts against flow control, padding included (§6.1).</summary>
    public int FlowControlledLength => Header.Type == Http2FrameType.Data ? Header.Length : 0;

    /// <summary>True for a frame type this codec does not know; §5.5 says discard it.</summary>
    public bool IsExtension => Header.Type > Http2FrameType.Continuation;

    public Http2SettingsReader Settings => new(Header.Type == Http2FrameType.Settings ? Data : default);
}
