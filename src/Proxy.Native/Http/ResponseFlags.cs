namespace MeshEdge.Native.Http;

/// <summary>Why a response is not simply the upstream's, for the access log (Envoy's %RESPONSE_FLAGS% codes).</summary>
internal enum ResponseFlags : byte
{
    None,

    /// <summary>NR: no route matched.</summary>
    NoRoute,

    /// <summary>UF: the upstream connect failed.</summary>
    UpstreamConnectFailure,

    /// <summary>UC: the upstream connection closed or reset before the response.</summary>
    UpstreamReset,

    /// <summary>UT: the route or per-try timeout passed.</summary>
    UpstreamTimeout,

    /// <summary>UO: the cluster's circuit breaker was open.</summary>
    UpstreamOverflow,

    /// <summary>UH: the cluster had no host to send to.</summary>
    NoHealthyUpstream,

    /// <summary>DC: the client went away before the response was complete.</summary>
    DownstreamClosed,

    /// <summary>OM: refused by an overload action (pooled buffers over the memory budget).</summary>
    Overloaded,
}
