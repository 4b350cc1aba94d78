namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// The result of <see cref="ListenerMatcher.Match"/>: per successor listener (same order) the fds it
/// takes over, empty for one to bind fresh; and the predecessor's listeners nobody wants any more.
/// </summary>
internal sealed record ListenerMatch(int[][] AdoptedFds, IReadOnlyList<ListenerHandoff> Dropped);
