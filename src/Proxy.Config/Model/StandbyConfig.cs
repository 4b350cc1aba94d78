namespace MeshEdge.Config.Model;

/// <summary>
/// <c>[standby]</c>: where standby sends the traffic it does not keep. While the process is in
/// standby, a request or call routed to <paramref name="LocalCluster"/> (the application beside the
/// sidecar) goes to <paramref name="PeersCluster"/> (the same service's running instances) instead,
/// except for a random <paramref name="LocalShare"/> of them.
/// </summary>
public sealed record StandbyConfig(string LocalCluster, string PeersCluster, double LocalShare)
{
    /// <summary>Ant's figure: a standby pod keeps 1% of its traffic.</summary>
    public const double DefaultLocalShare = 0.01;
}
