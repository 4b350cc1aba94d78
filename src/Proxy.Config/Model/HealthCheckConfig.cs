using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>
/// Active health checking of a cluster's hosts: a TCP connect, or an HTTP/1.1 GET whose status must
/// be one of <see cref="ExpectedStatuses"/> (any 2xx when empty). A host is taken out of rotation
/// after <paramref name="UnhealthyThreshold"/> failed checks in a row and back after
/// <paramref name="HealthyThreshold"/> passed ones.
/// </summary>
public sealed record HealthCheckConfig(TimeSpan Interval, TimeSpan Timeout, int UnhealthyThreshold, int HealthyThreshold)
{
    public HealthCheckType Type { get; init; } = HealthCheckType.Tcp;

    /// <summary>The request path of an HTTP check.</summary>
    public string Path { get; init; } = "/";

    /// <summary>The Host header of an HTTP check; null sends the host's own address.</summary>
    public string? Host { get; init; }

    public ImmutableArray<int> ExpectedStatuses { get; init; } = [];

    /// <summary>A host (at start, or new from DNS or discovery) takes no traffic until its first check passes.</summary>
    public bool NoTrafficUntilHealthy { get; init; }
}
