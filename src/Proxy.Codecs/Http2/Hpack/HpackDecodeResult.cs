namespace MeshEdge.Codecs.Http2.Hpack;

/// <summary>The outcome of one field block: its status, the reason when not complete, and what was delivered.</summary>
internal readonly record struct HpackDecodeResult(HpackDecodeStatus Status, HpackError Error, int HeaderCount, int HeaderListSize)
{
    /// <summary>
    /// The answer on the wire: COMPRESSION_ERROR on the connection (RFC 9113 §4.3), or a reset of the
    /// stream alone for a passed limit (a server may prefer a 431 response, §10.5.1).
    /// </summary>
    public Http2Error ToHttp2Error(uint streamId) => Status switch
    {
        HpackDecodeStatus.CompressionError => Http2Error.Connection(Http2ErrorCode.CompressionError, Http2ErrorReason.FieldBlockMalformed),
        HpackDecodeStatus.LimitExceeded => Http2Error.Stream(Http2ErrorCode.ProtocolError, Http2ErrorReason.FieldBlockTooLarge, streamId),
        _ => Http2Error.None,
    };
}
