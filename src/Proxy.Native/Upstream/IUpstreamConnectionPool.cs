namespace MeshEdge.Native.Upstream;

/// <summary>
/// What every protocol's upstream pool has in common, whether each connection carries one request
/// at a time (HTTP/1.1) or many at once (Bolt, later HTTP/2 and Dubbo): it belongs to one worker and
/// one cluster, keeps its connections per <see cref="UpstreamHost"/>, and lets the worker drain it.
/// The protocol-specific part (leasing an exclusive connection, multiplexing on a shared one) stays
/// in each pool, where its session code calls it directly.
/// </summary>
internal interface IUpstreamConnectionPool
{
    ClusterRuntime Cluster { get; }

    /// <summary>Hosts left the cluster: close their idle connections now; busy ones close when their work ends.</summary>
    void DrainRemovedHosts();

    /// <summary>The worker drains: close every connection that carries no request.</summary>
    void CloseIdle();

    /// <summary>
    /// Whether anything of the pool is in use: a connection open or connecting (requests wait on
    /// connections), or, for RPC, a call under way on the cluster. HTTP requests between attempts
    /// are counted by the worker (<see cref="Stats.ClusterStats.RequestsInFlight"/>).
    /// </summary>
    bool InUse { get; }

    /// <summary>
    /// The worker let go of the pool's retired cluster (nothing in use): whoever else indexes the
    /// pool by cluster id forgets it too, so that nothing reaches the cluster's runtime from here.
    /// </summary>
    void Forget();
}
