namespace MeshEdge.Codecs.Rpc;

/// <summary>What a frame asks of the proxy: forward and await, forward and forget, map back, or answer locally.</summary>
internal enum RpcFrameKind : byte
{
    /// <summary>A call that expects a response with the same request id.</summary>
    Request,

    /// <summary>A call that expects no response; the proxy forwards it and forgets it.</summary>
    Oneway,

    /// <summary>The answer to a request; its id is mapped back to the downstream's id.</summary>
    Response,

    /// <summary>A keep-alive probe; the proxy answers it itself on the downstream side.</summary>
    HeartbeatRequest,

    /// <summary>The answer to a keep-alive probe the proxy (or its pool) sent.</summary>
    HeartbeatResponse,
}
