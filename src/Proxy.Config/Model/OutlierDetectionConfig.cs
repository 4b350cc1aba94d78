namespace MeshEdge.Config.Model;

/// <summary>
/// Passive health: a host that answers <paramref name="Consecutive5xx"/> 5xx in a row, or fails
/// <paramref name="ConsecutiveGatewayFailure"/> times in a row at the gateway level (connect failure,
/// reset, 502/503/504), is ejected for <paramref name="BaseEjectionTime"/> times the number of its
/// ejections so far, while at most <paramref name="MaxEjectionPercent"/> of the hosts (at least one)
/// are ejected at once. Ejections end on a check every <paramref name="Interval"/>.
/// </summary>
public sealed record OutlierDetectionConfig(
    int Consecutive5xx,
    int ConsecutiveGatewayFailure,
    TimeSpan BaseEjectionTime,
    int MaxEjectionPercent,
    TimeSpan Interval)
{
    public static readonly OutlierDetectionConfig Default = new(5, 5, TimeSpan.FromSeconds(30), 10, TimeSpan.FromSeconds(1));
}
