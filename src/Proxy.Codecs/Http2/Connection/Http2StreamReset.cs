namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>
/// A stream that ended before both sides closed it: reset by the peer, reset by us for a stream error
/// (the RST_STREAM is already queued), or cut by the peer's GOAWAY.
/// </summary>
/// <param name="ByPeer">The peer sent RST_STREAM (or GOAWAY); false when we reset it for a stream error.</param>
/// <param name="NotProcessed">
/// Client role: the peer provably did not process the request (REFUSED_STREAM, or a stream above a
/// GOAWAY's last stream id, RFC 9113 §8.7), so it is safe to retry on another connection.
/// </param>
internal readonly record struct Http2StreamReset(uint StreamId, Http2ErrorCode Code, bool ByPeer, bool NotProcessed);
