namespace MeshEdge.Codecs.Http2;

/// <summary>
/// The flag bits RFC 9113 §6 defines. A bit means something only on the frame types that define it;
/// any other bit is ignored, as §4.1 requires (ACK and END_STREAM share bit 0).
/// </summary>
internal static class Http2FrameFlags
{
    public const byte None = 0x0;

    /// <summary>DATA, HEADERS.</summary>
    public const byte EndStream = 0x1;

    /// <summary>SETTINGS, PING.</summary>
    public const byte Ack = 0x1;

    /// <summary>HEADERS, PUSH_PROMISE, CONTINUATION.</summary>
    public const byte EndHeaders = 0x4;

    /// <summary>DATA, HEADERS, PUSH_PROMISE.</summary>
    public const byte Padded = 0x8;

    /// <summary>HEADERS.</summary>
    public const byte Priority = 0x20;
}
