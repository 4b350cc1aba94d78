namespace MeshEdge.Codecs.Http2;

/// <summary>
/// A refusal and the spec's answer to it: a connection error is answered with GOAWAY carrying
/// <see cref="Code"/> and the connection closes; a stream error with RST_STREAM on
/// <see cref="StreamId"/>, and the connection goes on (RFC 9113 §5.4).
/// </summary>
internal readonly record struct Http2Error(Http2ErrorCode Code, Http2ErrorReason Reason, bool IsConnectionError, uint StreamId)
{
    public static readonly Http2Error None = default;

    public bool IsError => Reason != Http2ErrorReason.None;

    public static Http2Error Connection(Http2ErrorCode code, Http2ErrorReason reason) => new(code, reason, IsConnectionError: true, 0);

    public static Http2Error Stream(Http2ErrorCode code, Http2ErrorReason reason, uint streamId) => new(code, reason, IsConnectionError: false, streamId);

    public override string ToString() => IsError
        ? $"{(IsConnectionError ? "connection" : $"stream {StreamId}")} {Code} ({Reason})"
        : "none";
}
