namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// Which worker accepts on which inherited socket of one listener. Every inherited socket must be
/// served, since each has an accept queue of its own: with fewer workers than sockets a worker takes
/// several; with more, the extra workers open fresh SO_REUSEPORT sockets that join the same group.
/// </summary>
internal static class SocketDistribution
{
    /// <summary>For each worker, the indexes of the inherited sockets it takes (possibly none).</summary>
    public static int[][] Plan(int inheritedSockets, int workers)
    {
        var plan = new List<int>[workers];
        for (var w = 0; w < workers; w++)
        {
            plan[w] = [];
        }

        for (var i = 0; i < inheritedSockets; i++)
        {
            plan[i % workers].Add(i);
        }

        return [.. plan.Select(list => list.ToArray())];
    }
}
