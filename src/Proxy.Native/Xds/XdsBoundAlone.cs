using System.Collections.Immutable;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Xds;

/// <summary>
/// What a cluster or ClusterLoadAssignment came to when it was checked on its own, translated and
/// bound: a cluster's <see cref="ClusterConfig"/> without the endpoints EDS brings (null when the
/// translator leaves the cluster out), an assignment's hosts. The assembly puts the two together
/// instead of translating the pair again (<see cref="XdsClusterTranslations.Compose"/>): a cluster
/// is translated once, when it arrives, and its endpoints once, when they do.
/// </summary>
internal sealed record XdsBoundAlone(ClusterConfig? Cluster, ImmutableArray<HostConfig> Hosts);
