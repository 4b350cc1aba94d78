using System.Numerics;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// The requests in flight on one upstream connection, by the id the proxy gave them. The proxy
/// chooses the ids, so it chooses them to index an array directly: an id's slot is its low bits, and
/// a new id is the next one whose slot is free. A response finds its request with one array read and
/// one compare, where a hash map would hash, probe and chain on every request and response.
/// </summary>
internal sealed class RpcInFlightTable<T>
    where T : class
{
    private T?[] _items;
    private ulong[] _ids;
    private ulong _lastId;

    public RpcInFlightTable(int initialCapacity = 64)
    {
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(initialCapacity, 2));
        _items = new T?[capacity];
        _ids = new ulong[capacity];
    }

    public int Count { get; private set; }

    /// <summary>
    /// The next id after the last one handed out (wrapping within 1..<paramref name="maxId"/>) whose
    /// slot is free. The table grows first when it is half full, so the search is short.
    /// </summary>
    public ulong NextId(ulong maxId)
    {
        if (Count * 2 >= _items.Length)
        {
            Grow();
        }

        var mask = (ulong)_items.Length - 1;
        do
        {
            _lastId = _lastId >= maxId ? 1 : _lastId + 1;
        }
        while (_items[_lastId & mask] is not null);

        return _lastId;
    }

    /// <summary>Adds <paramref name="item"/> under an id <see cref="NextId"/> just gave (whose slot is free).</summary>
    public void Add(ulong id, T item)
    {
        var slot = (int)(id & ((ulong)_items.Length - 1));
        _items[slot] = item;
        _ids[slot] = id;
        Count++;
    }

    public bool Remove(ulong id, out T item)
    {
        var slot = (int)(id & ((ulong)_items.Length - 1));
        if (_items[slot] is { } found && _ids[slot] == id)
        {
            _items[slot] = null;
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
        for (var slot = 0; slot < _items.Length && Count > 0; slot++)
        {
            if (_items[slot] is { } item)
            {
                destination.Add(item);
                _items[slot] = null;
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
        var items = new T?[_items.Length * 2];
        var ids = new ulong[items.Length];
        var mask = (ulong)items.Length - 1;
        for (var slot = 0; slot < _items.Length; slot++)
        {
            if (_items[slot] is { } item)
            {
                var target = (int)(_ids[slot] & mask);
                items[target] = item;
                ids[target] = _ids[slot];
            }
        }

        _items = items;
        _ids = ids;
    }
}
