using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Admin;

internal sealed class AdminSessionFactory : IDownstreamSessionFactory
{
    /// <summary>Set by the host right after the snapshot that holds this factory is built.</summary>
    public AdminState State { get; set; } = null!;

    public void Start(Worker worker, ListenerRuntime listener, int fd, ulong clientHash) =>
        new AdminSession(worker, listener, State).Start(fd);
}
