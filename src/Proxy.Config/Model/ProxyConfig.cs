using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>
/// The whole configuration, immutable once loaded. A new file or control-plane push builds a new
/// instance; nothing ever edits a live one.
/// </summary>
public sealed record ProxyConfig(
    string Source,
    RuntimeConfig Runtime,
    ImmutableArray<ListenerConfig> Listeners,
    ImmutableArray<ClusterConfig> Clusters)
{
    /// <summary>The admin listener; null when the config has no <c>[admin]</c> table.</summary>
    public AdminConfig? Admin { get; init; }

    /// <summary>Where standby forwards what it does not keep; null when the config has no <c>[standby]</c> table.</summary>
    public StandbyConfig? Standby { get; init; }

    /// <summary>The bootstrap's node (Envoy configs); null otherwise.</summary>
    public NodeConfig? Node { get; init; }

    /// <summary>The bootstrap's ADS source (Envoy <c>dynamic_resources</c>); null when the config is static.</summary>
    public AdsConfig? Ads { get; init; }

    /// <summary>The named certificates (<c>[[secrets]]</c>) listeners refer to; empty when there are none.</summary>
    public ImmutableArray<SecretConfig> Secrets { get; init; } = [];
}
