using System.Numerics;
using System.Runtime.CompilerServices;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// The requests in flight on one upstream connection, by the id the proxy gave them. The proxy
/// chooses the ids, so it chooses them to index an array directly: an id's slot is its low bits, and
/// a new id is the next one whose slot is free. A response finds its request with one array read and
/// one compare, where a hash map would hash, probe and chain on every request and response. An
/// entry keeps the request's record index and its id side by side: a struct of two numbers, so an
/// add stores no reference (no covariance check, no GC write barrier).
/// </summary>
internal sealed class RpcInFlightTable
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
        while (_entries[_lastId & mask].IsUsed);

        return _lastId;
    }

    /// <summary>
    /// Adds the request whose record index is <paramref name="record"/> (zero or more) under the id
    /// <see cref="NextId"/> would give, and returns that id: one step per request for both, the table
    /// and its mask loaded once. Inlined into the request's write (as a call its prologue and
    /// arguments were a third of it); the growth is out of line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong AddNext(int record, ulong maxId)
    {
        if (Count * 2 >= _entries.Length)
        {
            Grow();
        }

        var entries = _entries;
        var mask = (ulong)entries.Length - 1;
        var id = _lastId;
        do
        {
            id = id >= maxId ? 1 : id + 1;
        }
        while (entries[(int)(id & mask)].RecordPlusOne != 0);

        _lastId = id;
        ref var entry = ref entries[(int)(id & mask)];
        entry.RecordPlusOne = record + 1;
        entry.Id = id;
        Count++;
        return id;
    }

    /// <summary>Adds the request whose record index is <paramref name="record"/> (zero or more) under an id <see cref="NextId"/> just gave (whose slot is free).</summary>
    public void Add(ulong id, int record)
    {
        ref var entry = ref _entries[(int)(id & ((ulong)_entries.Length - 1))];
        entry.RecordPlusOne = record + 1;
        entry.Id = id;
        Count++;
    }

    /// <summary>Takes out the request in flight under <paramref name="id"/>; false when there is none (a late or unknown answer).</summary>
    /// <remarks>Inlined into the response loop: one array read and a compare, smaller than the call around them.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Remove(ulong id, out int record)
    {
        ref var entry = ref _entries[(int)(id & ((ulong)_entries.Length - 1))];
        if (entry.IsUsed && entry.Id == id)
        {
            record = entry.RecordPlusOne - 1;
            entry.RecordPlusOne = 0;
            Count--;
            return true;
        }

        record = -1;
        return false;
    }

    /// <summary>Moves every record index to <paramref name="destination"/> and empties the table.</summary>
    public void MoveAllTo(List<int> destination)
    {
        for (var slot = 0; slot < _entries.Length && Count > 0; slot++)
        {
            if (_entries[slot].IsUsed)
            {
                destination.Add(_entries[slot].RecordPlusOne - 1);
                _entries[slot].RecordPlusOne = 0;
                Count--;
            }
        }
    }

    /// <summary>
    /// Doubles the table. Ids in different slots stay in different slots (the new mask keeps every
    /// bit of the old one), so re-placing them cannot collide.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow()
    {
        var entries = new Entry[_entries.Length * 2];
        var mask = (ulong)entries.Length - 1;
        foreach (var entry in _entries)
        {
            if (entry.IsUsed)
            {
                entries[(int)(entry.Id & mask)] = entry;
            }
        }

        _entries = entries;
    }

    private struct Entry
    {
        /// <summary>The record index + 1, so that a zeroed entry (0) is a free one.</summary>
        public int RecordPlusOne;
        public ulong Id;

        public readonly bool IsUsed => RecordPlusOne != 0;
    }
}
