namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// One listener's sockets as handed over: its name and address (how the successor matches it to
/// its own config) and one fd per worker socket in its SO_REUSEPORT group. Every socket of the
/// group must move, since each has an accept queue of its own that closing would reset.
/// </summary>
internal sealed record ListenerHandoff(string Name, string Address, int[] Fds);
