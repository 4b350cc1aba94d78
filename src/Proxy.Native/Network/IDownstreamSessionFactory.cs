using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Network;

/// <summary>Starts the session that serves a freshly accepted connection (TCP proxy, HTTP, RPC...).</summary>
internal interface IDownstreamSessionFactory
{
    /// <summary>Takes ownership of <paramref name="fd"/> and of one of the listener's connection slots.</summary>
    void Start(Worker worker, ListenerRuntime listener, int fd);
}
