using System.Text;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// One worker's (service, method) pairs of one RPC listener, each interned once: the first request of
/// a pair makes its <see cref="RpcMethodStats"/> (two strings and two byte arrays); later requests find
/// it by hashing the header spans, with no allocation. At most <see cref="MaxMethods"/> pairs, so a
/// client inventing names cannot grow memory or the metrics without bound: later pairs count under
/// <see cref="OverflowName"/>. The admin side reads entries [0, Count) while the worker appends: an
/// entry is complete before the count that publishes it moves.
/// </summary>
internal sealed class RpcMethodTable
{
    public const int MaxMethods = 1024;

    /// <summary>The service and method labels of pairs beyond <see cref="MaxMethods"/>.</summary>
    public const string OverflowName = "other";

    /// <summary>Open addressing over entry indexes + 1 (0 = empty); a power of two, at most half full.</summary>
    private const int SlotCount = MaxMethods * 2;

    private readonly RpcMethodStats[] _entries = new RpcMethodStats[MaxMethods];
    private readonly byte[][] _services = new byte[MaxMethods][];
    private readonly byte[][] _methods = new byte[MaxMethods][];
    private readonly int[] _hashes = new int[MaxMethods];
    private readonly int[] _slots = new int[SlotCount];
    private int _count;

    /// <summary>The entry found last: calls tend to repeat a pair, and comparing two short spans costs less than hashing them.</summary>
    private int _last = -1;

    /// <summary>Pairs beyond the limit.</summary>
    public RpcMethodStats Overflow { get; } = new(OverflowName, OverflowName);

    /// <summary>Interned pairs so far; entries below it are complete.</summary>
    public int Count => Volatile.Read(ref _count);

    public RpcMethodStats this[int index] => _entries[index];

    /// <summary>The stats of this pair, interned now if it is new and there is room, else the overflow entry.</summary>
    public RpcMethodStats Find(ReadOnlySpan<byte> service, ReadOnlySpan<byte> method)
    {
        var last = _last;
        if (last >= 0 && service.SequenceEqual(_services[last]) && method.SequenceEqual(_methods[last]))
        {
            return _entries[last];
        }

        var hash = Hash(service, method);
        var slot = hash & (SlotCount - 1);
        while (true)
        {
            var index = _slots[slot] - 1;
            if (index < 0)
            {
                return _count < MaxMethods ? Add(slot, hash, service, method) : Overflow;
            }

            if (_hashes[index] == hash && service.SequenceEqual(_services[index]) && method.SequenceEqual(_methods[index]))
            {
                _last = index;
                return _entries[index];
            }

            slot = (slot + 1) & (SlotCount - 1);
        }
    }

    private RpcMethodStats Add(int slot, int hash, ReadOnlySpan<byte> service, ReadOnlySpan<byte> method)
    {
        var index = _count;
        var stats = new RpcMethodStats(Label(service), Label(method));
        _services[index] = service.ToArray();
        _methods[index] = method.ToArray();
        _hashes[index] = hash;
        _entries[index] = stats;
        _slots[slot] = index + 1;
        _last = index;
        Volatile.Write(ref _count, index + 1);
        return stats;
    }

    /// <summary>A name as a metric label: "-" when the request carried none (as access logs print a missing value).</summary>
    private static string Label(ReadOnlySpan<byte> name) => name.IsEmpty ? "-" : Encoding.UTF8.GetString(name);

    private static int Hash(ReadOnlySpan<byte> service, ReadOnlySpan<byte> method)
    {
        var hash = default(HashCode);
        hash.AddBytes(service);
        hash.Add(service.Length);
        hash.AddBytes(method);
        return hash.ToHashCode() & int.MaxValue;
    }
}
