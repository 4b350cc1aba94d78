using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>
/// One SNI route of a TCP proxy (an Envoy filter chain matched on <c>server_names</c>): TLS
/// connections whose ClientHello names one of <paramref name="ServerNames"/> go to
/// <paramref name="Cluster"/>, passed through without terminating TLS.
/// </summary>
/// <param name="ServerNames">Lower-case host names, exact or "*.suffix" (any name ending in ".suffix").</param>
public sealed record SniRouteConfig(ImmutableArray<string> ServerNames, string Cluster);
