namespace MeshEdge.Upgrade.Handoff;

/// <summary>The messages of the hand-off protocol, in the order an upgrade uses them.</summary>
internal enum HandoffMessageType : byte
{
    /// <summary>Successor -> running process: protocol version and pid.</summary>
    Hello = 1,

    /// <summary>Running process -> successor: every listening socket, fds attached.</summary>
    Listeners = 2,

    /// <summary>Successor -> running process: serving on the adopted sockets; start draining.</summary>
    Ready = 3,

    /// <summary>Either way: the upgrade cannot go on, with a reason.</summary>
    Error = 4,
}
