namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// Everything a successor receives from the running process: its listening sockets, the hand-off
/// socket itself (so the path keeps answering) and who sent them. The successor owns every fd in it.
/// </summary>
internal sealed record HandoffOffer(
    IReadOnlyList<ListenerHandoff> Listeners,
    int HandoffSocketFd,
    string HandoffSocketPath,
    int PredecessorPid)
{
    /// <summary>The TLS session-ticket keys the running process handed over (version 3); empty when none came.</summary>
    public byte[] TicketKeys { get; init; } = [];
}
