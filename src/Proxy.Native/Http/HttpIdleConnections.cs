using MeshEdge.Native.Network;

namespace MeshEdge.Native.Http;

/// <summary>
/// One host's idle HTTP/1.1 connections in one worker's pool, oldest first: leased from the newest
/// end (warm), trimmed from the oldest. It also remembers the fewest it held since the last sweep
/// (<see cref="Sweep"/>): since leases take the newest, that many of the oldest were not wanted for a
/// whole sweep period, which is what tells a surplus from connections a burst will want back.
/// </summary>
internal sealed class HttpIdleConnections
{
    private HttpUpstream[] _items = new HttpUpstream[8];
    private int _count;
    private int _lowWater;

    public int Count => _count;

    public void Push(HttpUpstream upstream)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[_count++] = upstream;
    }

    public bool TryPop(out HttpUpstream upstream)
    {
        if (_count == 0)
        {
            upstream = null!;
            return false;
        }

        upstream = _items[--_count];
        _items[_count] = null!;
        if (_count < _lowWater)
        {
            _lowWater = _count;
        }

        return true;
    }

    /// <summary>
    /// Closes (through <paramref name="pool"/>) the connections that are gone, idle past
    /// <paramref name="idleTimeoutMs"/>, or, beyond <paramref name="maxIdle"/>, unused for the whole
    /// period since the last sweep; all of them when <paramref name="removeAll"/>. The rest stay in
    /// order; the period starts again. Returns how many stay.
    /// </summary>
    public int Sweep(HttpConnectionPool pool, long nowMs, long idleTimeoutMs, int maxIdle, bool removeAll)
    {
        // The oldest _lowWater were idle for the whole period; of those, the surplus over maxIdle goes.
        var surplus = removeAll ? _count : Math.Min(_lowWater, Math.Max(0, _count - maxIdle));
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            var upstream = _items[i];
            _items[i] = null!;
            var open = upstream.Connection.State == ConnectionState.Open;
            if (i < surplus || !open || nowMs - upstream.IdleSinceMs >= idleTimeoutMs)
            {
                if (open)
                {
                    pool.Retire(upstream);
                }

                continue;
            }

            _items[kept++] = upstream;
        }

        _count = kept;
        _lowWater = kept;
        return kept;
    }
}
