using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>
/// <c>[standby]</c>: where standby sends the traffic it does not keep. While the process is in
/// standby, a request or call routed to one of <paramref name="LocalClusters"/> (the application beside
/// the sidecar: its HTTP port, its Bolt port...) goes to the peers' cluster at the same position in
/// <paramref name="PeersClusters"/> (the same service's running instances) instead, except for a random
/// <paramref name="LocalShare"/> of them. In the file each key is a name, or an array of names paired by
/// position.
/// </summary>
public sealed record StandbyConfig(ImmutableArray<string> LocalClusters, ImmutableArray<string> PeersClusters, double LocalShare)
{
    /// <summary>Ant's figure: a standby pod keeps 1% of its traffic.</summary>
    public const double DefaultLocalShare = 0.01;

    public bool Equals(StandbyConfig? other) =>
        other is not null && LocalClusters.SequenceEqual(other.LocalClusters) && PeersClusters.SequenceEqual(other.PeersClusters)
        && LocalShare == other.LocalShare;

    public override int GetHashCode() => HashCode.Combine(LocalClusters.Length, PeersClusters.Length, LocalShare);
}
