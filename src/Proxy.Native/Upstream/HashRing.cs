using System.Collections.Immutable;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// A Ketama-style consistent-hash ring: each host owns points on a 64-bit circle in proportion to
/// its weight, and a key goes to the first point at or after its hash. Removing one host of N
/// moves only the keys that host owned (about 1/N). Immutable, shared by every worker.
/// </summary>
internal sealed class HashRing : ILoadBalancer
{
    /// <summary>Points per unit of weight. Fixed per host (not a share of a fixed ring size), so a
    /// host's points do not change when another host comes or goes.</summary>
    public const int PointsPerWeight = 512;

    private const int MaxRingSize = 1 << 20;

    private readonly ulong[] _points;
    private readonly int[] _owners;
    private readonly int _hostCount;

    public HashRing(ImmutableArray<UpstreamHost> hosts)
    {
        _hostCount = hosts.Length;
        var totalWeight = hosts.Sum(h => (long)h.Weight);
        // Only a very large cluster scales its points down, to bound the ring's memory.
        var perWeight = (int)Math.Max(1, Math.Min(PointsPerWeight, MaxRingSize / totalWeight));
        var entries = new List<(ulong Point, int Owner)>((int)(perWeight * totalWeight));
        for (var host = 0; host < hosts.Length; host++)
        {
            var count = perWeight * hosts[host].Weight;
            // Points are named after the address, not the index, so a host keeps its points
            // when others come or go.
            var name = hosts[host].Name;
            for (var i = 0; i < count; i++)
            {
                entries.Add((HostHash.Of($"{name}_{i}"), host));
            }
        }

        entries.Sort((a, b) => a.Point.CompareTo(b.Point));
        _points = entries.Select(e => e.Point).ToArray();
        _owners = entries.Select(e => e.Owner).ToArray();
    }

    public int Pick(ulong hashKey, int attempt)
    {
        var index = Array.BinarySearch(_points, hashKey);
        if (index < 0)
        {
            index = ~index;
        }

        if (index == _points.Length)
        {
            index = 0;
        }

        // A retry walks on around the ring to the attempt-th distinct host after the first.
        var owner = _owners[index];
        for (var skipped = 0; skipped < attempt && _hostCount > 1;)
        {
            index = index + 1 == _points.Length ? 0 : index + 1;
            if (_owners[index] != owner)
            {
                owner = _owners[index];
                skipped++;
            }
        }

        return owner;
    }
}
