using System.Collections.Immutable;
using System.Net;

namespace MeshEdge.Native.Tests.Upstream;

internal static class BalancerTestData
{
    public static ImmutableArray<IPEndPoint> Hosts(int count) =>
        Enumerable.Range(1, count).Select(i => new IPEndPoint(IPAddress.Parse($"10.0.0.{i}"), 8080)).ToImmutableArray();

    public static ImmutableArray<int> Equal(int count) => Enumerable.Repeat(1, count).ToImmutableArray();

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
    public static IEnumerable<ulong> Keys(int count) => Enumerable.Range(0, count).Select(i => MeshEdge.Native.Upstream.HostHash.Of($"client-{i}"));
}
