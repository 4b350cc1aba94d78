using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>A path rule (exactly one of prefix, exact path or regex) plus header and query conditions, all of which must hold.</summary>
public sealed record RouteMatchConfig(PathMatchKind PathKind, string PathValue)
{
    public ImmutableArray<ValueMatchConfig> Headers { get; init; } = [];

    public ImmutableArray<ValueMatchConfig> QueryParameters { get; init; } = [];

    /// <summary>Conditions on the downstream TLS peer; null when the route has none.</summary>
    public RouteTlsMatchConfig? Tls { get; init; }
}
