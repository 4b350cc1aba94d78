namespace MeshEdge.Native.Upstream;

/// <summary>
/// Picks a host of a cluster for a new request (or TCP connection). Each worker holds its own
/// instance, so any state a policy keeps (cursor, request counts, random generator) is never
/// shared; precomputed tables (hash rings, Maglev) are immutable and shared by all workers.
/// </summary>
internal interface ILoadBalancer
{
    /// <summary>
    /// The index (into the cluster's hosts) to use. <paramref name="hashKey"/> feeds the
    /// consistent-hashing policies; <paramref name="attempt"/> is 0 for the first try and counts up
    /// on retries, so that a retry can move on to another host.
    /// </summary>
    int Pick(ulong hashKey, int attempt);

    /// <summary>A request on a host picked earlier has ended (least-request keeps count).</summary>
    void Release(int hostIndex);
}
