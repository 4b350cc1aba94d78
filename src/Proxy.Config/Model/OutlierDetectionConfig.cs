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
    /// <summary>The longest an ejection lasts, however often the host was ejected before.</summary>
    public TimeSpan MaxEjectionTime { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Success-rate ejection: every interval, among hosts that served at least
    /// <see cref="SuccessRateRequestVolume"/> requests (when at least <see cref="SuccessRateMinimumHosts"/>
    /// did), a host whose success rate is below mean - stdev_factor/1000 * stdev is ejected. 0 hosts turns it off.
    /// </summary>
    public int SuccessRateMinimumHosts { get; init; } = 5;

    public int SuccessRateRequestVolume { get; init; } = 100;

    public int SuccessRateStdevFactor { get; init; } = 1900;

    public static readonly OutlierDetectionConfig Default = new(5, 5, TimeSpan.FromSeconds(30), 10, TimeSpan.FromSeconds(1));
}
