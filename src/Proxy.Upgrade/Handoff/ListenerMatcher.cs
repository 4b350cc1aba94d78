namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// Pairs the sockets a predecessor handed over with the successor's own listeners. A socket is
/// reused only for a listener with the same name and the same configured address; a listener that
/// is new (or moved) is bound fresh, and sockets of listeners the new config dropped are closed.
/// </summary>
internal static class ListenerMatcher
{
    /// <param name="wanted">The successor's listeners, in its order: name and configured address.</param>
    /// <param name="offered">What arrived; entries of the same name and address are joined.</param>
    public static ListenerMatch Match(IReadOnlyList<(string Name, string Address)> wanted, IReadOnlyList<ListenerHandoff> offered)
    {
        var byKey = new Dictionary<(string, string), List<int>>();
        foreach (var entry in offered)
        {
            var key = (entry.Name, entry.Address);
            if (!byKey.TryGetValue(key, out var fds))
            {
                byKey[key] = fds = [];
            }

            fds.AddRange(entry.Fds);
        }

        var adopted = new int[wanted.Count][];
        for (var i = 0; i < wanted.Count; i++)
        {
            adopted[i] = byKey.Remove(wanted[i], out var fds) ? [.. fds] : [];
        }

        var dropped = byKey.OrderBy(pair => pair.Key.Item1, StringComparer.Ordinal)
            .Select(pair => new ListenerHandoff(pair.Key.Item1, pair.Key.Item2, [.. pair.Value]))
            .ToList();
        return new ListenerMatch(adopted, dropped);
    }
}
