using System.Collections.Immutable;
using System.Net;

namespace MeshEdge.Config.Model;

/// <summary>A named group of upstream hosts and how to pick among them.</summary>
public sealed record ClusterConfig(
    string Name,
    ClusterType Type,
    LoadBalancerPolicy LbPolicy,
    TimeSpan ConnectTimeout,
    ImmutableArray<IPEndPoint> Hosts);
