using MeshEdge.Native.Network;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// Live configuration: each call is routed with the listener's current routes (RpcWorkerContext
/// fetches them per call), so a route change applies to new calls on an existing connection.
/// </summary>
internal sealed partial class RpcDownstreamSession<TCodec> : IListenerSession
{
    public ListenerRuntime Listener => _listener;
}
