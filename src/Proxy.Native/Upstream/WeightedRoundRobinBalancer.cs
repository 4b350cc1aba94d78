using System.Collections.Immutable;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// Smooth weighted round robin (nginx's algorithm): every pick adds each host's weight to its
/// running score, takes the highest and subtracts the total from it. Weights 5,1,1 give
/// a a b a c a a rather than a a a a a b c. Equal weights reduce to plain round robin.
/// </summary>
internal sealed class WeightedRoundRobinBalancer : ILoadBalancer
{
    private readonly int[] _weights;
    private readonly long[] _scores;
    private readonly long _total;

    public WeightedRoundRobinBalancer(ImmutableArray<UpstreamHost> hosts, int start)
    {
        _weights = [.. hosts.Select(h => h.Weight)];
        _scores = new long[_weights.Length];
        _total = _weights.Sum(w => (long)w);
        // Workers start at different points of the cycle so they do not all begin on host 0.
        for (var i = 0; i < start % Math.Max(1, _weights.Length); i++)
        {
            Pick(0, 0);
        }
    }

    public int Pick(ulong hashKey, int attempt)
    {
        var best = 0;
        for (var i = 0; i < _weights.Length; i++)
        {
            _scores[i] += _weights[i];
            if (_scores[i] > _scores[best])
            {
                best = i;
            }
        }

        _scores[best] -= _total;
        return best;
    }
}
