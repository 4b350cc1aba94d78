namespace MeshEdge.Native.Runtime;

/// <summary>Something registered in a worker's epoll set: a connection, a listener, the wake-up fd.</summary>
internal interface IEpollHandler
{
    /// <summary>Handles the readiness bits epoll reported for this handler's fd.</summary>
    void OnEpollEvents(uint events);
}
