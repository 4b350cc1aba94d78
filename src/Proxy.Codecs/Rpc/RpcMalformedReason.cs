namespace MeshEdge.Codecs.Rpc;

/// <summary>
/// Why a frame was rejected. Kept protocol-neutral so that a new protocol reuses these values
/// rather than widening the enum; each becomes a counter label and a log word, never a string
/// built per frame.
/// </summary>
internal enum RpcMalformedReason : byte
{
    None,

    /// <summary>The first bytes are not this protocol (Bolt proto code, Dubbo magic).</summary>
    UnknownProtocol,

    /// <summary>A frame type, command code or flag combination the protocol does not define.</summary>
    UnknownFrameType,

    /// <summary>The frame's declared length is larger than the configured maximum.</summary>
    FrameTooLarge,

    /// <summary>A length field is impossible (negative, or parts that do not fit the frame).</summary>
    BadLength,

    /// <summary>The header block's entries overrun the block's declared length.</summary>
    HeaderOverrun,

    /// <summary>The frame's checksum does not match its bytes.</summary>
    ChecksumMismatch,
}
