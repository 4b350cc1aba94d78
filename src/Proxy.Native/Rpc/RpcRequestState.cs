namespace MeshEdge.Native.Rpc;

internal enum RpcRequestState : byte
{
    /// <summary>In the worker's free list.</summary>
    Free,

    /// <summary>Accepted from downstream; waiting for its upstream connection to finish connecting.</summary>
    Queued,

    /// <summary>Written upstream; waiting for the response with its upstream id.</summary>
    InFlight,
}
