namespace MeshEdge.Config.AccessLog;

/// <summary>What one <c>%OPERATOR%</c> of an access-log format stands for (Envoy's names).</summary>
internal enum AccessLogField : byte
{
    Literal,
    StartTime,
    Method,
    Path,
    Authority,
    RequestHeader,
    Protocol,
    ResponseCode,
    ResponseFlags,
    BytesReceived,
    BytesSent,
    Duration,
    UpstreamHost,
    DownstreamRemoteAddress,
}
