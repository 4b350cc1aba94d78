namespace MeshEdge.Native.Upstream;

/// <summary>
/// Picks one of a fixed list of hosts (one priority level's routable hosts, or for the
/// consistent-hashing tables all hosts of the level) for a new request or TCP connection. Policies
/// with state (a cursor, a random generator) are per worker, never shared; consistent-hash tables
/// are immutable and shared by all workers.
/// </summary>
internal interface ILoadBalancer
{
    /// <summary>
    /// The index into the list to use. <paramref name="hashKey"/> feeds the consistent-hashing
    /// policies; <paramref name="attempt"/> is 0 for the first try and counts up on retries, so that
    /// a retry can move on to another host.
    /// </summary>
    int Pick(ulong hashKey, int attempt);
}
