using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MeshEdge.Codecs.Http2.Hpack;

/// <summary>
/// The dynamic table of RFC 7541 §2.3.2 and §4, in two arrays rented once from a pool: a ring of
/// entry bytes (name then value, each entry contiguous so it can be handed out as spans) and a ring of
/// fixed-size slots (offset and lengths), newest last. No object per entry.
/// <para>
/// Why the byte ring is twice <see cref="Bound"/>: an entry never wraps around the end, so space at
/// the end may be skipped. The live bytes plus a new entry never exceed the table size S, and a skip
/// happens only when the ring's end is within one entry of the tail, which leaves at least 2S - S = S
/// bytes free at its start; so the new entry always fits without evicting more than §4.4 says.
/// </para>
/// </summary>
internal sealed class HpackDynamicTable : IDisposable
{
    /// <summary>Each entry counts its name, its value and 32 bytes (§4.1).</summary>
    public const int EntryOverhead = 32;

    private readonly ArrayPool<byte> _pool;
    private readonly int _slotCapacity;
    private byte[]? _bytes;
    private byte[]? _slotBytes;
    private int _oldest;

    /// <param name="bound">The largest size this table may ever be given: our SETTINGS_HEADER_TABLE_SIZE for a decoder, our cap for an encoder.</param>
    public HpackDynamicTable(int bound, ArrayPool<byte> pool)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bound);
        _pool = pool;
        Bound = bound;

        // Both ends start from SETTINGS_HEADER_TABLE_SIZE's initial 4,096 until a size update says otherwise.
        MaxSize = Math.Min(bound, Http2Constants.DefaultHeaderTableSize);
        _slotCapacity = (bound / EntryOverhead) + 1;
        _bytes = pool.Rent(Math.Max(2 * bound, 1));
        _slotBytes = pool.Rent(_slotCapacity * Unsafe.SizeOf<Slot>());
    }

    public int Bound { get; }

    /// <summary>The size the last table size update set, at most <see cref="Bound"/>.</summary>
    public int MaxSize { get; private set; }

    /// <summary>The sum of the entries' sizes (§4.1).</summary>
    public int Size { get; private set; }

    public int Count { get; private set; }

    private Span<Slot> Slots => MemoryMarshal.Cast<byte, Slot>(_slotBytes.AsSpan(0, _slotCapacity * Unsafe.SizeOf<Slot>()));

    /// <summary>Entry <paramref name="index"/>, 1 being the newest (§2.3.3); the spans live until the next change.</summary>
    public void Get(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        Debug.Assert(index >= 1 && index <= Count, "the caller checks the index against Count");
        var slot = Slots[(_oldest + Count - index) % _slotCapacity];
        name = _bytes.AsSpan(slot.Offset, slot.NameLength);
        value = _bytes.AsSpan(slot.Offset + slot.NameLength, slot.ValueLength);
    }

    /// <summary>Applies a size update: evicts the oldest entries until the table fits (§4.3).</summary>
    public void SetMaxSize(int maxSize)
    {
        Debug.Assert(maxSize >= 0 && maxSize <= Bound, "the caller checks updates against its bound");
        MaxSize = maxSize;
        EvictUntil(maxSize);
    }

    /// <summary>
    /// Adds an entry (§4.4): evicts until it fits, or empties the table when it alone is larger than
    /// the table. <paramref name="name"/> may point into this table, even at an entry this evicts.
    /// </summary>
    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var entrySize = (long)name.Length + value.Length + EntryOverhead;
        if (entrySize > MaxSize)
        {
            EvictUntil(0);
            return;
        }

        EvictUntil(MaxSize - (int)entrySize);
        var offset = FreeOffset(name.Length + value.Length);

        // Eviction only moved indices; the evicted bytes are still there, and CopyTo copies as memmove
        // does, so a name read from an evicted entry survives even when the new entry overlaps it.
        name.CopyTo(_bytes.AsSpan(offset));
        value.CopyTo(_bytes.AsSpan(offset + name.Length));
        Slots[(_oldest + Count) % _slotCapacity] = new Slot(offset, name.Length, value.Length);
        Count++;
        Size += (int)entrySize;
    }

    /// <summary>Empties the table, as adding an entry larger than the whole table does (§4.4).</summary>
    public void Clear() => EvictUntil(0);

    /// <summary>The newest entry's index with this name and value, else 0; <paramref name="nameIndex"/> for the name alone.</summary>
    public int Find(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, out int nameIndex)
    {
        // The encoder asks this for every field it sends: slots are walked newest first without a
        // division per entry, and lengths are compared before bytes.
        nameIndex = 0;
        var slots = Slots;
        var bytes = _bytes.AsSpan();
        var position = _oldest + Count - 1;
        if (position >= _slotCapacity)
        {
            position -= _slotCapacity;
        }

        for (var index = 1; index <= Count; index++)
        {
            var slot = slots[position];
            position = position == 0 ? _slotCapacity - 1 : position - 1;
            if (slot.NameLength != name.Length || !name.SequenceEqual(bytes.Slice(slot.Offset, slot.NameLength)))
            {
                continue;
            }

            if (nameIndex == 0)
            {
                nameIndex = index;
            }

            if (slot.ValueLength == value.Length && value.SequenceEqual(bytes.Slice(slot.Offset + slot.NameLength, slot.ValueLength)))
            {
                return index;
            }
        }

        return 0;
    }

    public void Dispose()
    {
        if (_bytes is not null)
        {
            _pool.Return(_bytes);
            _pool.Return(_slotBytes!);
            _bytes = null;
            _slotBytes = null;
        }
    }

    private void EvictUntil(int size)
    {
        var slots = Slots;
        while (Size > size && Count > 0)
        {
            var oldest = slots[_oldest];
            Size -= oldest.NameLength + oldest.ValueLength + EntryOverhead;
            _oldest = (_oldest + 1) % _slotCapacity;
            Count--;
        }
    }

    /// <summary>Where a new entry of <paramref name="length"/> bytes goes: after the newest, or at the ring's start when the end is too close.</summary>
    private int FreeOffset(int length)
    {
        if (Count == 0)
        {
            _oldest = 0;
            return 0;
        }

        var slots = Slots;
        var newest = slots[(_oldest + Count - 1) % _slotCapacity];
        var tail = newest.Offset + newest.NameLength + newest.ValueLength;
        var head = slots[_oldest].Offset;
        var capacity = 2 * Bound;
        if (tail >= head)
        {
            if (tail + length <= capacity)
            {
                return tail;
            }

            Debug.Assert(length <= head, "twice the bound leaves room at the start");
            return 0;
        }

        Debug.Assert(tail + length <= head, "twice the bound leaves room between tail and head");
        return tail;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Slot(int Offset, int NameLength, int ValueLength);
}
