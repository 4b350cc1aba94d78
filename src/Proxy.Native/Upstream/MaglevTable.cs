using System.Collections.Immutable;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// Maglev consistent hashing (Google's load balancer paper): a prime-sized lookup table filled by
/// letting hosts take turns claiming slots along their own permutation. Lookups are one modulo and
/// one array read; the table spreads keys more evenly than a ring and moves about 1/N of them when
/// one host of N leaves. Weights decide how often a host gets a turn. Immutable, shared.
/// </summary>
internal sealed class MaglevTable : ILoadBalancer
{
    public const int DefaultTableSize = 65537;

    private readonly int[] _table;

    public MaglevTable(ImmutableArray<UpstreamHost> hosts, int tableSize = DefaultTableSize)
    {
        _table = new int[tableSize];
        Array.Fill(_table, -1);
        var count = hosts.Length;
        var offsets = new long[count];
        var skips = new long[count];
        var next = new long[count];
        var maxWeight = hosts.Max(h => h.Weight);
        for (var i = 0; i < count; i++)
        {
            var name = hosts[i].Name;
            offsets[i] = (long)(HostHash.Of(name + "#offset") % (ulong)tableSize);
            skips[i] = (long)(HostHash.Of(name + "#skip") % (ulong)(tableSize - 1)) + 1;
        }

        var filled = 0;
        for (long round = 0; filled < tableSize; round++)
        {
            for (var i = 0; i < count && filled < tableSize; i++)
            {
                // Weighted turns: host i claims a slot in this round only when its share of the
                // rounds so far (weight / max weight) crosses another whole number.
                if ((round + 1) * hosts[i].Weight / maxWeight == round * hosts[i].Weight / maxWeight)
                {
                    continue;
                }

                long slot;
                do
                {
                    slot = (offsets[i] + (next[i]++ * skips[i])) % tableSize;
                }
                while (_table[slot] >= 0);

                _table[slot] = i;
                filled++;
            }
        }
    }

    public int Pick(ulong hashKey, int attempt)
    {
        // Retries rehash, which lands on another host with high probability.
        var key = attempt == 0 ? hashKey : HostHash.Mix(hashKey + (ulong)attempt);
        return _table[(int)(key % (ulong)_table.Length)];
    }
}
