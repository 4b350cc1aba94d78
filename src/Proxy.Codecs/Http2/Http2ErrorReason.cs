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

    /// <summary>A frame other than HEADERS or PRIORITY on a stream never opened (§5.1 idle), or HEADERS on an id of the wrong side.</summary>
    FrameOnIdleStream,

    /// <summary>A frame on a stream that is closed, or half-closed on the peer's side (§5.1): STREAM_CLOSED.</summary>
    StreamClosed,

    /// <summary>HEADERS on a closed id below the highest one opened, never seen before (§5.1.1).</summary>
    StreamIdNotIncreasing,

    /// <summary>PUSH_PROMISE: we never enable push (a client role sends SETTINGS_ENABLE_PUSH 0; a server never accepts one, §8.4).</summary>
    PushRefused,

    /// <summary>A server sent SETTINGS_ENABLE_PUSH 1 (§6.5.2).</summary>
    EnablePushFromServer,

    /// <summary>A field block breaking the rules of §8.1-8.3 (the connection layer's <c>Http2FieldError</c> says which).</summary>
    MalformedFieldBlock,

    /// <summary>A stream past SETTINGS_MAX_CONCURRENT_STREAMS: REFUSED_STREAM.</summary>
    ConcurrencyLimit,

    /// <summary>The premature reset budget is spent (CVE-2023-44487, CVE-2025-8671): ENHANCE_YOUR_CALM.</summary>
    RapidReset,

    /// <summary>A field block over its byte or CONTINUATION budget (the CVE-2024-27316 family): ENHANCE_YOUR_CALM.</summary>
    ContinuationFlood,

    /// <summary>PING acks pile up unflushed (CVE-2019-9512).</summary>
    PingFlood,

    /// <summary>SETTINGS acks pile up unflushed (CVE-2019-9515).</summary>
    SettingsFlood,

    /// <summary>Consecutive frames that carry nothing (CVE-2019-9518).</summary>
    EmptyFrameFlood,

    /// <summary>More PRIORITY frames than the budget per stream (CVE-2019-9513).</summary>
    PriorityFlood,

    /// <summary>More WINDOW_UPDATE frames than the DATA we send can explain.</summary>
    WindowUpdateFlood,

    /// <summary>Our queue of control frames the session has not flushed passed its cap.</summary>
    ControlQueueOverflow,

    /// <summary>The peer did not acknowledge our SETTINGS in time (§6.5.3).</summary>
    SettingsTimeout,
}
