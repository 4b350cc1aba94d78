namespace MeshEdge.Codecs.Http2;

/// <summary>
/// Why a frame (or the connection's sequence of frames) was refused: finer than the wire's error
/// code, so counters and logs can tell the defences apart. <see cref="Http2Error"/> pairs it with the
/// code to send and whether the stream or the whole connection ends.
/// </summary>
internal enum Http2ErrorReason : byte
{
    None,

    /// <summary>The client's first 24 bytes are not the connection preface (§3.4).</summary>
    PrefaceMismatch,

    /// <summary>The peer's first frame is not a SETTINGS frame (§3.4).</summary>
    FirstFrameNotSettings,

    /// <summary>Longer than the SETTINGS_MAX_FRAME_SIZE we advertised (§4.2).</summary>
    FrameTooLarge,

    /// <summary>A frame type that belongs to a stream arrived on stream 0.</summary>
    StreamIdRequired,

    /// <summary>A connection-level frame (SETTINGS, PING, GOAWAY) named a stream.</summary>
    StreamIdForbidden,

    /// <summary>Shorter than the fields the type or its flags require (pad length, priority, promised id).</summary>
    PayloadTooShort,

    /// <summary>A fixed-size payload (PRIORITY, RST_STREAM, PING, WINDOW_UPDATE) of the wrong length.</summary>
    WrongPayloadLength,

    /// <summary>The pad length leaves less than nothing for the content (§6.1, §6.2, §6.6).</summary>
    PaddingTooLong,

    /// <summary>A stream made to depend on itself (§5.3.1).</summary>
    SelfDependency,

    SettingsAckWithPayload,
    SettingsLengthNotMultipleOfSix,

    /// <summary>SETTINGS_ENABLE_PUSH or SETTINGS_ENABLE_CONNECT_PROTOCOL other than 0 or 1.</summary>
    InvalidSettingFlag,

    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1: FLOW_CONTROL_ERROR (§6.5.2).</summary>
    InitialWindowSizeTooLarge,

    /// <summary>SETTINGS_MAX_FRAME_SIZE outside 16,384..16,777,215 (§6.5.2).</summary>
    InvalidMaxFrameSize,

    /// <summary>A WINDOW_UPDATE of zero (§6.9).</summary>
    ZeroWindowIncrement,

    /// <summary>A window pushed past 2^31-1 by WINDOW_UPDATE or by a SETTINGS change (§6.9.1, §6.9.2).</summary>
    WindowOverflow,

    /// <summary>A peer sent more DATA than the window it was given (§6.9.1).</summary>
    WindowExceeded,

    PromisedStreamIdZero,

    /// <summary>A field block was open and something other than its CONTINUATION came (§6.10).</summary>
    ContinuationExpected,

    /// <summary>CONTINUATION with no open field block, or on another stream (§6.10).</summary>
    UnexpectedContinuation,

    /// <summary>HPACK could not decode the field block (<c>HpackDecodeResult.Error</c> says why): COMPRESSION_ERROR.</summary>
    FieldBlockMalformed,

    /// <summary>The field block decoded to more, or more fields, than the limits allow.</summary>
    FieldBlockTooLarge,
}
