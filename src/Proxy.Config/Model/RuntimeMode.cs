namespace MeshEdge.Config.Model;

/// <summary>
/// <c>runtime.mode</c>: how much of its share of the machine the process holds. Switchable at run
/// time (the admin API's <c>POST /mode</c>); the config gives the mode the process starts in.
/// </summary>
public enum RuntimeMode
{
    /// <summary>Every worker accepts, pools keep what a load peak rented, the local application gets all its traffic.</summary>
    Active,

    /// <summary>
    /// Warm but small: one worker takes new connections, pooled buffers and idle upstream connections are
    /// released, memory goes back to the OS, and all but <c>standby.local_share</c> of new inbound
    /// requests go to the peers.
    /// </summary>
    Standby,
}
