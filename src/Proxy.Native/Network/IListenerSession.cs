namespace MeshEdge.Native.Network;

/// <summary>
/// A downstream session that says which listener accepted it, so that a live config change that
/// removes the listener can drain just that listener's connections.
/// </summary>
internal interface IListenerSession
{
    /// <summary>The listener version the connection was accepted by (its Index is the listener's stable id).</summary>
    ListenerRuntime Listener { get; }
}
