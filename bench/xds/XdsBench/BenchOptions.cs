using System.Globalization;

namespace MeshEdge.Bench.Xds;

/// <summary>What one run measures, from the command line run.sh writes.</summary>
internal sealed record BenchOptions(
    string Meshedge,
    string Variant,
    int Clusters,
    int BackendPort,
    int NewEndpointPort,
    string NewEndpointBody,
    int EndpointChanges,
    string? ProxyCpu,
    string WorkDirectory,
    string? Hook)
{
    public bool Delta => Variant == "delta";

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected --name value, got {args[i]}");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Need(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");
        int Number(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var variant = values.GetValueOrDefault("variant", "sotw");
        if (variant is not ("sotw" or "delta"))
        {
            throw new ArgumentException("--variant is sotw or delta");
        }

        return new BenchOptions(
            Need("meshedge"),
            variant,
            Number("clusters", 10_000),
            Number("backend-port", 0) is > 0 and var a ? a : throw new ArgumentException("--backend-port is required"),
            Number("new-endpoint-port", 0) is > 0 and var b ? b : throw new ArgumentException("--new-endpoint-port is required"),
            Need("new-endpoint-body"),
            Number("endpoint-changes", 5),
            values.GetValueOrDefault("proxy-cpu"),
            Need("work"),
            values.GetValueOrDefault("hook"));
    }
}
