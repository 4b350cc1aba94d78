using System.Collections.Immutable;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// Least request by the power of two choices: draw two hosts at random and take the one with
/// fewer active requests relative to its weight. Nearly as good as a full scan, at O(1), and it
/// avoids the herd a strict minimum causes. Counts are this worker's own.
/// </summary>
internal sealed class LeastRequestBalancer(ImmutableArray<int> weights, ulong seed) : ILoadBalancer
{
    private readonly int[] _active = new int[weights.Length];
    private readonly FastRandom _random = new(seed);

    public int Pick(ulong hashKey, int attempt)
    {
        int chosen;
        if (weights.Length == 1)
        {
            chosen = 0;
        }
        else
        {
            var a = _random.Next(weights.Length);
            var b = _random.Next(weights.Length - 1);
            if (b >= a)
            {
                b++;
            }

            // active_a / w_a <= active_b / w_b, without division.
            chosen = (long)_active[a] * weights[b] <= (long)_active[b] * weights[a] ? a : b;
        }

        _active[chosen]++;
        return chosen;
    }

    public void Release(int hostIndex)
    {
        if (_active[hostIndex] > 0)
        {
            _active[hostIndex]--;
        }
    }

    internal int ActiveForTest(int hostIndex) => _active[hostIndex];
}
