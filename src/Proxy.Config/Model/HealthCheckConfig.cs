namespace MeshEdge.Config.Model;

/// <summary>
/// Active health checking of a cluster's hosts (TCP connect for now). A host is taken out of
/// rotation after <paramref name="UnhealthyThreshold"/> failed checks in a row and back after
/// <paramref name="HealthyThreshold"/> passed ones.
/// </summary>
public sealed record HealthCheckConfig(TimeSpan Interval, TimeSpan Timeout, int UnhealthyThreshold, int HealthyThreshold);
