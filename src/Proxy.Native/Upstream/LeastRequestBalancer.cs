using System.Collections.Immutable;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// Least request by the power of two choices: draw two hosts at random and take the one with
/// fewer active requests relative to its weight. Nearly as good as a full scan, at O(1), and it
/// avoids the herd a strict minimum causes. The counts compared are this worker's own (kept on
/// each host, so they survive a host-set update).
/// </summary>
internal sealed class LeastRequestBalancer(ImmutableArray<UpstreamHost> hosts, int worker, ulong seed) : ILoadBalancer
{
    private readonly FastRandom _random = new(seed);

    public int Pick(ulong hashKey, int attempt)
    {
        if (hosts.Length == 1)
        {
            return 0;
        }

        var a = _random.Next(hosts.Length);
        var b = _random.Next(hosts.Length - 1);
        if (b >= a)
        {
            b++;
        }

        // active_a / w_a <= active_b / w_b, without division.
        var hostA = hosts[a];
        var hostB = hosts[b];
        return hostA.ActiveRequestsOn(worker) * hostB.Weight <= hostB.ActiveRequestsOn(worker) * hostA.Weight ? a : b;
    }
}
