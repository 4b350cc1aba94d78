using System.Numerics;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// The requests in flight on one upstream connection, by the id the proxy gave them. The proxy
/// chooses the ids, so it chooses them to index an array directly: an id's slot is its low bits, and
/// a new id is the next one whose slot is free. A response finds its request with one array read and
/// one compare, where a hash map would hash, probe and chain on every request and response. An
/// entry keeps its item and id side by side (one cache line, and a struct array store needs no
/// covariance check, which an array of <typeparamref name="T"/> paid on every add and remove).
/// </summary>
internal sealed class RpcInFlightTable<T>
    where T : class
{
    private Entry[] _entries;
    private ulong _lastId;

    public RpcInFlightTable(int initialCapacity = 64)
    {
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(initialCapacity, 2));
        _entries = new Entry[capacity];
    }

    public int Count { get; private set; }

    /// <summary>
    /// The next id after the last one handed out (wrapping within 1..<paramref name="maxId"/>) whose
    /// slot is free. The table grows first when it is half full, so the search is short.
    /// </summary>
    public ulong NextId(ulong maxId)
    {
        if (Count * 2 >= _entries.Length)
        {
            Grow();
        }

        var mask = (ulong)_entries.Length - 1;
        do
        {
            _lastId = _lastId >= maxId ? 1 : _lastId + 1;
        }
        while (_entries[_lastId & mask].Item is not null);

        return _lastId;
    }

    /// <summary>Adds <paramref name="item"/> under an id <see cref="NextId"/> just gave (whose slot is free).</summary>
    public void Add(ulong id, T item)
    {
        ref var entry = ref _entries[(int)(id & ((ulong)_entries.Length - 1))];
        entry.Item = item;
        entry.Id = id;
        Count++;
    }

    public bool Remove(ulong id, out T item)
    {
        ref var entry = ref _entries[(int)(id & ((ulong)_entries.Length - 1))];
        if (entry.Item is { } found && entry.Id == id)
        {
            entry.Item = null;
            Count--;
            item = found;
            return true;
        }

        item = null!;
        return false;
    }

    /// <summary>Moves every item to <paramref name="destination"/> and empties the table.</summary>
    public void MoveAllTo(List<T> destination)
    {
        for (var slot = 0; slot < _entries.Length && Count > 0; slot++)
        {
            if (_entries[slot].Item is { } item)
            {
                destination.Add(item);
                _entries[slot].Item = null;
                Count--;
            }
        }
    }

    /// <summary>
    /// Doubles the table. Ids in different slots stay in different slots (the new mask keeps every
    /// bit of the old one), so re-placing them cannot collide.
    /// </summary>
    private void Grow()
    {
        var entries = new Entry[_entries.Length * 2];
        var mask = (ulong)entries.Length - 1;
        foreach (var entry in _entries)
        {
            if (entry.Item is not null)
            {
                entries[(int)(entry.Id & mask)] = entry;
            }
        }

        _entries = entries;
    }

    private struct Entry
    {
        public T? Item;
        public ulong Id;
    }
}
