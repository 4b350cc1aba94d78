namespace MeshEdge.Codecs.Rpc;

/// <summary>What <see cref="IRpcCodec.ReadRouteNames"/> found in a request's header block.</summary>
internal enum RpcRouteNames : byte
{
    /// <summary>The block's entries overrun it: the frame is malformed (<see cref="RpcMalformedReason.HeaderOverrun"/>).</summary>
    Malformed,

    /// <summary>A sound block that names no service.</summary>
    NoService,

    /// <summary>A sound block that names the service (and the method, when the protocol carries it there).</summary>
    Found,
}
