using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Network;

/// <summary>Starts the session that serves a freshly accepted connection (TCP proxy, HTTP, RPC...).</summary>
internal interface IDownstreamSessionFactory
{
    /// <summary>
    /// Takes ownership of <paramref name="fd"/> and of one of the listener's connection slots.
    /// <paramref name="clientHash"/> is a hash of the client's IP address, the key consistent-hash
    /// balancing uses for connections.
    /// </summary>
    void Start(Worker worker, ListenerRuntime listener, int fd, ulong clientHash);
}
