namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>
/// What <see cref="Http2Connection.Receive"/> reports, in wire order. A push interface rather than a
/// pull API because the views live only for the call: header fields lie in a pooled block and DATA in
/// the caller's input, both reused as soon as the call returns, so a pull API would have to copy or
/// pin them across calls. Implement it as a struct: <c>Receive</c> is generic over it, so the JIT
/// specialises and inlines the callbacks, as the HTTP/1.1 parser and the HPACK decoder do.
/// A callback may call the connection's send methods (queueing a reply, releasing bytes), not Receive.
/// </summary>
internal interface IHttp2ConnectionHandler
{
    /// <summary>
    /// A validated field block (RFC 9113 §8.2, §8.3). <paramref name="endStream"/>: no DATA follows.
    /// The fields' spans are valid only during the call.
    /// </summary>
    void OnHeaders(uint streamId, Http2HeadersKind kind, in Http2HeaderFields fields, bool endStream);

    /// <summary>
    /// DATA content (padding removed), a view of the input valid during the call. The bytes stay
    /// charged to the stream's and the connection's receive windows until the consumer calls
    /// <see cref="Http2Connection.ReleaseReceived"/>: a reader that holds them makes the peer wait.
    /// </summary>
    void OnData(uint streamId, ReadOnlySpan<byte> data, bool endStream);

    /// <summary>The stream is gone from the table; no more events for it, and sends on it are refused.</summary>
    void OnStreamReset(in Http2StreamReset reset);

    /// <summary>The peer's GOAWAY: open no new stream; in the client role streams above <paramref name="lastStreamId"/> were already reported as not processed.</summary>
    void OnGoAway(uint lastStreamId, Http2ErrorCode code, ReadOnlySpan<byte> debugData);

    /// <summary>A stream that <see cref="Http2Connection.SendData"/> left blocked may send again (its window and the connection's are open).</summary>
    void OnWindowOpened(uint streamId);
}
