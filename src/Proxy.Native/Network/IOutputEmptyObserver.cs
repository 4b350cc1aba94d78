namespace MeshEdge.Native.Network;

/// <summary>
/// A handler that must know when every queued byte has reached the socket, such as an RPC session
/// waiting to hand its connection to the next process: bytes still in our output queue would
/// otherwise be lost or overtaken. Asked for once per <see cref="Connection.NotifyWhenOutputEmpty"/>.
/// </summary>
internal interface IOutputEmptyObserver
{
    void OnOutputEmpty(Connection connection);
}
