namespace MeshEdge.Codecs.Detection;

/// <summary>What a connection's first bytes say it speaks.</summary>
internal enum DetectedProtocol : byte
{
    /// <summary>Too few bytes yet to tell; wait for more (bounded by the listener's sniff timeout).</summary>
    NeedMoreData,

    /// <summary>None of the protocols below: fall back (TCP proxy) or close, as configured.</summary>
    Unknown,

    Http1,
    Http2,
    Bolt,
    Dubbo,
    Tls,
    Redis,
}
