namespace MeshEdge.Codecs.Rpc;

/// <summary>
/// Why the proxy answers a request itself. Each codec maps these onto its protocol's own status
/// codes (Bolt: NO_PROCESSOR, TIMEOUT, ...; Dubbo: SERVICE_NOT_FOUND, SERVER_TIMEOUT, ...), so that the
/// session never needs to know a protocol's numbers.
/// </summary>
internal enum RpcErrorKind : byte
{
    /// <summary>No route matched, or the route's cluster has no healthy host.</summary>
    NoRoute,

    /// <summary>The request's own timeout (or the route's) passed before a response came.</summary>
    Timeout,

    /// <summary>The upstream connection closed with the request in flight.</summary>
    ConnectionClosed,

    /// <summary>The proxy or the cluster is over a limit (pending requests, circuit breaker).</summary>
    Overloaded,

    /// <summary>The request, or the upstream's response to it, could not be decoded or encoded.</summary>
    CodecError,
}
