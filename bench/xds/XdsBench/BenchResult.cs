using System.Globalization;

namespace MeshEdge.Bench.Xds;

/// <summary>One run's figures; the TSV columns are run.sh's (see bench/README.md).</summary>
internal sealed record BenchResult(
    string Variant,
    int Clusters,
    double PushToAckMs,
    double PushToTrafficMs,
    long RssBeforeKb,
    long RssAfterKb,
    double EndpointAckMs,
    double EndpointTrafficMs,
    double EndpointApplyMs,
    string AckMsByType,
    string ApplyMs,
    double PushCpuMs,
    string Handled)
{
    public double BytesPerCluster => (RssAfterKb - RssBeforeKb) * 1024.0 / Clusters;

    public string ToTsv() => string.Join('\t',
        Variant,
        Clusters.ToString(CultureInfo.InvariantCulture),
        F(PushToAckMs),
        F(PushToTrafficMs),
        RssBeforeKb.ToString(CultureInfo.InvariantCulture),
        RssAfterKb.ToString(CultureInfo.InvariantCulture),
        F(BytesPerCluster),
        F(EndpointAckMs),
        F(EndpointTrafficMs),
        F(EndpointApplyMs),
        AckMsByType,
        ApplyMs.Length == 0 ? "-" : ApplyMs,
        F(PushCpuMs),
        Handled.Length == 0 ? "-" : Handled);

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
