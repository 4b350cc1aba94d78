namespace MeshEdge.Codecs.Http2;

/// <summary>Sizes and limits fixed by RFC 9113.</summary>
internal static class Http2Constants
{
    /// <summary>Length (24 bits), type, flags, reserved bit and stream id (31 bits): §4.1.</summary>
    public const int FrameHeaderLength = 9;

    /// <summary>SETTINGS_MAX_FRAME_SIZE's initial value and its lowest allowed one (§6.5.2).</summary>
    public const int DefaultMaxFrameSize = 16_384;

    /// <summary>SETTINGS_MAX_FRAME_SIZE's highest allowed value, 2^24-1 (§6.5.2).</summary>
    public const int MaxAllowedFrameSize = 16_777_215;

    /// <summary>The initial flow-control window of every stream and of the connection (§6.9.2).</summary>
    public const int DefaultWindowSize = 65_535;

    /// <summary>A flow-control window may never exceed 2^31-1 (§6.9.1).</summary>
    public const int MaxWindowSize = int.MaxValue;

    /// <summary>Stream ids and window increments are 31 bits; the top bit is reserved (§4.1, §6.9).</summary>
    public const uint StreamIdMask = 0x7FFF_FFFF;

    public const int PingPayloadLength = 8;

    public const int PriorityPayloadLength = 5;

    public const int RstStreamPayloadLength = 4;

    public const int WindowUpdatePayloadLength = 4;

    public const int GoAwayMinimumPayloadLength = 8;

    public const int SettingLength = 6;

    public const int PromisedStreamIdLength = 4;

    /// <summary>SETTINGS_HEADER_TABLE_SIZE's initial value (§6.5.2).</summary>
    public const int DefaultHeaderTableSize = 4_096;
}
