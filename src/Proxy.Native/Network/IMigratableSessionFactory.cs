using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Network;

/// <summary>
/// A session factory whose connections can move between processes in a hot upgrade (the multiplexed
/// RPC protocols): the successor adopts a connection the old process detached at a frame boundary.
/// </summary>
internal interface IMigratableSessionFactory
{
    /// <summary>The wire protocol; a connection moves only to a listener of the same name and protocol.</summary>
    string Protocol { get; }

    /// <summary>
    /// On <paramref name="worker"/>'s thread: serve <paramref name="fd"/> as if just accepted, with
    /// <paramref name="pending"/> (bytes the old process read but did not process) already read.
    /// Takes ownership of the fd and counts the connection against the listener.
    /// </summary>
    void Adopt(Worker worker, ListenerRuntime listener, int fd, byte[] pending);
}
