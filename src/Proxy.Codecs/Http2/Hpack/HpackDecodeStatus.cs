namespace MeshEdge.Codecs.Http2.Hpack;

internal enum HpackDecodeStatus : byte
{
    /// <summary>Every field was delivered.</summary>
    Complete,

    /// <summary>
    /// A limit was passed: fields stopped being delivered at the limit, but the whole block was still
    /// decoded, so the dynamic table is in step and the connection can go on; refuse the stream (431
    /// or RST_STREAM).
    /// </summary>
    LimitExceeded,

    /// <summary>The block is malformed: a connection error of type COMPRESSION_ERROR (RFC 9113 §4.3).</summary>
    CompressionError,
}
