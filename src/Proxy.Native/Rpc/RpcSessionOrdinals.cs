using System.Numerics;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// Numbers one worker's live RPC sessions of a listener, always with the lowest number free, so that
/// the live numbers stay 0..n-1 (give or take the gaps of sessions that left). A session's calls take
/// the host connection in slot <c>number % connections_per_host</c>: with numbers kept low, n client
/// connections take n distinct upstream connections up to the cap, as a relay pairs them, however
/// many clients came and went before.
/// </summary>
internal sealed class RpcSessionOrdinals
{
    /// <summary>One bit per number, set while a session holds it.</summary>
    private ulong[] _taken = new ulong[1];

    public int Count { get; private set; }

    /// <summary>The lowest number no live session holds, now held.</summary>
    public int Take()
    {
        for (var word = 0; word < _taken.Length; word++)
        {
            var free = ~_taken[word];
            if (free != 0)
            {
                var bit = BitOperations.TrailingZeroCount(free);
                _taken[word] |= 1UL << bit;
                Count++;
                return (word * 64) + bit;
            }
        }

        var grown = new ulong[_taken.Length * 2];
        _taken.CopyTo(grown, 0);
        var first = _taken.Length * 64;
        _taken = grown;
        _taken[first / 64] = 1;
        Count++;
        return first;
    }

    public void Release(int ordinal)
    {
        var mask = 1UL << (ordinal % 64);
        ref var word = ref _taken[ordinal / 64];
        if ((word & mask) != 0)
        {
            word &= ~mask;
            Count--;
        }
    }

    /// <summary>
    /// Bit s set when some live session's calls take slot s of <paramref name="perHost"/> (at most 64)
    /// by client affinity; every slot's bit when <paramref name="byClient"/> is false and any session
    /// lives (spread per call, each session uses every slot).
    /// </summary>
    public ulong PairedSlots(int perHost, bool byClient)
    {
        var all = perHost >= 64 ? ulong.MaxValue : (1UL << perHost) - 1;
        if (Count == 0)
        {
            return 0;
        }

        if (!byClient || perHost == 1)
        {
            return all;
        }

        var paired = 0UL;
        for (var word = 0; word < _taken.Length; word++)
        {
            var bits = _taken[word];
            while (bits != 0)
            {
                var ordinal = (word * 64) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                paired |= 1UL << (ordinal % perHost);
            }
        }

        return paired & all;
    }
}
