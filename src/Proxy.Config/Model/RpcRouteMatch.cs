using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>
/// What a request must carry for a route to apply; every condition set must hold, and a match with
/// none set takes every request. At most one of the three service conditions is set.
/// </summary>
/// <param name="Service">The service name equals this (Bolt: the <c>service</c> header, e.g. <c>com.foo.Bar:1.0</c>).</param>
/// <param name="ServicePrefix">The service name starts with this.</param>
/// <param name="ServiceRegex">The whole service name matches this .NET regular expression.</param>
/// <param name="Method">The method equals this, when the protocol exposes it in a header (Bolt protobuf calls).</param>
/// <param name="Headers">Each header is present with exactly this value.</param>
public sealed record RpcRouteMatch(
    string? Service,
    string? ServicePrefix,
    string? ServiceRegex,
    string? Method,
    ImmutableArray<KeyValuePair<string, string>> Headers);
