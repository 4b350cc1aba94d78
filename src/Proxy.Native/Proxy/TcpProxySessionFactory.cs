using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Proxy;

internal sealed class TcpProxySessionFactory : IDownstreamSessionFactory
{
    public static readonly TcpProxySessionFactory Instance = new();

    public void Start(Worker worker, ListenerRuntime listener, int fd, ulong clientHash) =>
        new TcpProxySession(worker, listener, clientHash, listener.ClusterIndex).Start(fd);
}
