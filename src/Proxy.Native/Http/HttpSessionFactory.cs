using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http;

internal sealed class HttpSessionFactory : IDownstreamSessionFactory
{
    public static readonly HttpSessionFactory Instance = new();

    public void Start(Worker worker, ListenerRuntime listener, int fd, ulong clientHash) =>
        new Http1DownstreamConnection(worker, listener).Start(fd, clientHash);
}
