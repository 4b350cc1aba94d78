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

    /// <summary>RPC: the service the request names (Bolt: the <c>service</c> header).</summary>
    RpcService,

    /// <summary>RPC: the method, when the protocol carries it outside the payload.</summary>
    RpcMethod,

    /// <summary>RPC: the response status the client got, in the protocol's numbering ("-" for none).</summary>
    RpcStatus,
}
