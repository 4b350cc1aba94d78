using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>
/// One route: what it matches and what it does. Exactly one action is set: a cluster, weighted
/// clusters, a direct response or a redirect. The first route of a virtual host that matches wins.
/// </summary>
public sealed record RouteConfig(RouteMatchConfig Match)
{
    public string? Cluster { get; init; }

    public ImmutableArray<WeightedClusterConfig> WeightedClusters { get; init; } = [];

    public DirectResponseConfig? DirectResponse { get; init; }

    public RedirectConfig? Redirect { get; init; }

    /// <summary>Replaces the matched prefix (or the whole matched path) before forwarding.</summary>
    public string? PrefixRewrite { get; init; }

    /// <summary>Replaces the Host header before forwarding.</summary>
    public string? HostRewrite { get; init; }

    public HeaderMutationConfig RequestHeaders { get; init; } = HeaderMutationConfig.None;

    public HeaderMutationConfig ResponseHeaders { get; init; } = HeaderMutationConfig.None;

    /// <summary>The whole exchange, retries included; 0 disables it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    public RetryPolicyConfig Retry { get; init; } = RetryPolicyConfig.None;

    /// <summary>The key for consistent hashing; null hashes a random key.</summary>
    public HashPolicyConfig? HashPolicy { get; init; }
}
