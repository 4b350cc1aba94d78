using System.Collections.Immutable;
using System.Net;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Tests.Upstream;

internal static class BalancerTestData
{
    public static ImmutableArray<UpstreamHost> Hosts(int count) => Weighted([.. Enumerable.Repeat(1, count)]);

    /// <summary>Hosts 10.0.0.1:8080, 10.0.0.2:8080... with these weights, all healthy.</summary>
    public static ImmutableArray<UpstreamHost> Weighted(params int[] weights) =>
        [.. weights.Select((weight, i) => Host($"10.0.0.{i + 1}:8080", weight))];

    public static UpstreamHost Host(string address, int weight = 1, int priority = 0) =>
        new(IPEndPoint.Parse(address), null, weight, priority, workerCount: 1, awaitingFirstCheck: false);

    public static int[] Count(Func<int> pick, int hosts, int picks)
    {
        var counts = new int[hosts];
        for (var i = 0; i < picks; i++)
        {
            counts[pick()]++;
        }

        return counts;
    }

    /// <summary>Asserts each host's share is within <paramref name="tolerance"/> (relative) of its weight's share.</summary>
    public static void AssertShares(int[] counts, IReadOnlyList<int> weights, double tolerance)
    {
        double total = counts.Sum();
        double weightTotal = weights.Sum();
        for (var i = 0; i < counts.Length; i++)
        {
            var expected = weights[i] / weightTotal;
            var actual = counts[i] / total;
            Assert.True(Math.Abs(actual - expected) <= expected * tolerance, $"host {i}: share {actual:F4}, expected {expected:F4} ± {tolerance:P0}");
        }
    }

    /// <summary>Keys, spread like real client hashes.</summary>
    public static IEnumerable<ulong> Keys(int count) => Enumerable.Range(0, count).Select(i => HostHash.Of($"client-{i}"));
}
