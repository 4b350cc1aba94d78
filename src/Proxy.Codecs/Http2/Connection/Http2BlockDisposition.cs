namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>
/// What becomes of a field block once decoded, decided when its HEADERS arrives. Every block is
/// decoded, whatever its fate, because HPACK's table must stay in step with the peer's (§4.3).
/// </summary>
internal enum Http2BlockDisposition : byte
{
    /// <summary>A new stream the peer opens (server role).</summary>
    Open,

    /// <summary>A response or trailers on a stream in the table.</summary>
    Deliver,

    /// <summary>Over the concurrency limit: REFUSED_STREAM.</summary>
    Refuse,

    /// <summary>On a stream we reset, or above the last id of our final GOAWAY: dropped.</summary>
    Ignore,

    /// <summary>A stream error already known from the frame (e.g. a self-dependency): RST_STREAM with <c>_blockResetCode</c>.</summary>
    Reset,

    /// <summary>On a stream that closed normally: connection error STREAM_CLOSED (§5.1).</summary>
    ClosedStream,
}
