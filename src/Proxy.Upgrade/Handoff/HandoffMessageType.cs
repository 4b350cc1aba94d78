namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// The messages of the hand-off protocol, in the order an upgrade uses them. Numbers are never
/// reused: a newer binary adds types, and an older peer answers an unknown one with Error.
/// </summary>
internal enum HandoffMessageType : byte
{
    /// <summary>Successor -> running process: the highest protocol version it speaks, and its pid.</summary>
    Hello = 1,

    /// <summary>Running process -> successor: listening sockets, fds attached (one or more frames).</summary>
    Listeners = 2,

    /// <summary>Successor -> running process: serving on the adopted sockets; start draining.</summary>
    Ready = 3,

    /// <summary>Either way: the upgrade cannot go on, with a reason.</summary>
    Error = 4,

    /// <summary>Running process -> successor: the hand-off socket itself (fd attached), its path and
    /// the sender's pid; it ends the list of listeners.</summary>
    HandoffSocket = 5,

    /// <summary>Running process -> successor: it stopped accepting and drains this many connections.</summary>
    Draining = 6,

    /// <summary>
    /// Version 2, running process -> successor: one live downstream connection to adopt (its fd
    /// attached), the listener and protocol it belongs to, and the bytes read but not yet processed.
    /// </summary>
    Connection = 7,

    /// <summary>Version 2, successor -> running process: the last Connection is ours; close your copy.</summary>
    ConnectionAdopted = 8,

    /// <summary>Version 2, successor -> running process: the last Connection was not taken, with a reason.</summary>
    ConnectionRefused = 9,

    /// <summary>Version 2, running process -> successor: no more connections come; how many moved and failed.</summary>
    MigrationDone = 10,

    /// <summary>
    /// Version 3, running process -> successor, before HandoffSocket: the TLS session-ticket keys
    /// (opaque to this protocol), so that the successor resumes the sessions the old process made.
    /// </summary>
    TicketKeys = 11,
}
