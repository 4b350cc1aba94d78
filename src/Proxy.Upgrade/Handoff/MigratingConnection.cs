namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// One live downstream connection on its way to the successor: the listener and protocol that
/// served it, its socket, and the bytes its old process read but did not process (a partial frame),
/// which the successor puts in its input before reading the socket again. Whoever holds this record
/// owns <see cref="Fd"/> until it is sent, after which both processes hold a copy.
/// </summary>
internal sealed record MigratingConnection(string Listener, string Protocol, int Fd, byte[] Pending);
