using System.Collections.Immutable;

namespace MeshEdge.Native.Upstream;

/// <summary>Weighted random: a draw over the cumulative weights, found by binary search.</summary>
internal sealed class RandomBalancer : ILoadBalancer
{
    private readonly long[] _cumulative;
    private readonly FastRandom _random;

    public RandomBalancer(ImmutableArray<UpstreamHost> hosts, ulong seed)
    {
        _cumulative = new long[hosts.Length];
        long sum = 0;
        for (var i = 0; i < hosts.Length; i++)
        {
            sum += hosts[i].Weight;
            _cumulative[i] = sum;
        }

        _random = new FastRandom(seed);
    }

    public int Pick(ulong hashKey, int attempt)
    {
        var total = _cumulative[^1];
        var draw = (long)(_random.NextUInt64() % (ulong)total);
        var index = Array.BinarySearch(_cumulative, draw + 1);
        return index >= 0 ? index : ~index;
    }
}
