using MeshEdge.Config.Model;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// The short way for a change of endpoints only (an EDS push): the hosts of clusters that run with
/// the same settings are replaced in place, with no snapshot compiled and nothing posted to workers,
/// so one endpoint change among 10,000 clusters touches one cluster. Anything else (a cluster not
/// running, or running with other settings) is for <see cref="ILiveConfigTarget.TryApply"/>.
/// </summary>
internal interface ILiveEndpointTarget
{
    /// <summary>
    /// Replaces the hosts of each running cluster named in <paramref name="clusters"/> by theirs, all or
    /// none. Returns null when they took effect; else why the short way does not apply (nothing changed
    /// then, and the caller applies the whole config instead).
    /// </summary>
    string? TryUpdateHosts(IReadOnlyList<ClusterConfig> clusters, string origin, string version);
}
