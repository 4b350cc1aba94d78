using MeshEdge.Native.Network;

namespace MeshEdge.Native.Proxy;

/// <summary>
/// Live configuration: a TCP proxy connection picks its cluster once, when accepted (from the
/// listener version current then), and keeps it; only a removed listener's drain deadline ends it.
/// </summary>
internal sealed partial class TcpProxySession : IListenerSession
{
    public ListenerRuntime Listener => _listener;
}
