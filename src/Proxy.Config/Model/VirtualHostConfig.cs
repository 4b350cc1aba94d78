using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>Routes for the requests whose Host matches one of <paramref name="Domains"/> (exact, "*.suffix", "prefix.*" or "*").</summary>
public sealed record VirtualHostConfig(string Name, ImmutableArray<string> Domains, ImmutableArray<RouteConfig> Routes);
