namespace MeshEdge.Native.Http;

/// <summary>Which reply the proxy makes itself; the downstream codec writes each in its version's terms.</summary>
internal enum LocalReplyKind : byte
{
    /// <summary>A status and a short plain-text body (no route, upstream failures, bad requests, direct responses).</summary>
    Plain,

    /// <summary>A route's redirect: a 3xx with a Location built from the request.</summary>
    Redirect,

    /// <summary>A full circuit breaker: 503 marked <c>x-envoy-overloaded: true</c>.</summary>
    Overloaded,
}
