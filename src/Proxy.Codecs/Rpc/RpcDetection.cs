namespace MeshEdge.Codecs.Rpc;

/// <summary>The answer of a protocol sniffer looking at a connection's first bytes.</summary>
internal enum RpcDetection : byte
{
    /// <summary>The bytes are this protocol's.</summary>
    Match,

    /// <summary>The bytes cannot be this protocol's.</summary>
    NoMatch,

    /// <summary>Too few bytes to tell; wait (bounded by the listener's sniff timeout).</summary>
    NeedMoreData,
}
