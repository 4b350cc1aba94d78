using System.Buffers;

namespace MeshEdge.Codecs.Http2.Hpack;

/// <summary>
/// Decodes HPACK field blocks (RFC 7541) into name/value spans handed to a handler. One per
/// connection and direction; not thread-safe. Its memory comes from a pool: the dynamic table once,
/// and a scratch array for Huffman-coded strings rented only when a block has one and returned when
/// that block is done. A field block must be whole (a HEADERS frame's fragment with its
/// CONTINUATIONs joined): HPACK's state cannot be split mid-representation without copying anyway.
/// </summary>
internal sealed class HpackDecoder : IDisposable
{
    private readonly HpackDecoderLimits _limits;
    private readonly ArrayPool<byte> _pool;
    private readonly HpackDynamicTable _table;
    private int _allowedTableSize;
    private bool _sizeUpdateRequired;

    // Per block; fields only so that the helpers below can share them.
    private byte[]? _scratch;
    private int _headerCount;
    private int _headerListSize;
    private HpackError _limitError;

    public HpackDecoder(HpackDecoderLimits limits, ArrayPool<byte>? pool = null)
    {
        _limits = limits;
        _pool = pool ?? ArrayPool<byte>.Shared;
        _table = new HpackDynamicTable(limits.MaxTableSize, _pool);
        _allowedTableSize = limits.MaxTableSize;
    }

    public int TableSize => _table.Size;

    public int TableCount => _table.Count;

    public int TableMaxSize => _table.MaxSize;

    internal HpackDynamicTable TableForTest => _table;

    /// <summary>
    /// Our SETTINGS_HEADER_TABLE_SIZE changed (call once the peer acknowledged it); at most the
    /// limit's <see cref="HpackDecoderLimits.MaxTableSize"/>. When it drops below the table's current
    /// maximum, the next block must start with a size update (§4.2).
    /// </summary>
    public void SetAllowedTableSize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, _limits.MaxTableSize);
        _sizeUpdateRequired |= size < _table.MaxSize;
        _allowedTableSize = size;
    }

    public HpackDecodeResult Decode<THandler>(ReadOnlySpan<byte> block, ref THandler handler)
        where THandler : IHpackHeaderHandler, allows ref struct
    {
        _headerCount = 0;
        _headerListSize = 0;
        _limitError = HpackError.None;
        try
        {
            var error = DecodeFields(block, ref handler);
            var status = error != HpackError.None ? HpackDecodeStatus.CompressionError
                : _limitError != HpackError.None ? HpackDecodeStatus.LimitExceeded
                : HpackDecodeStatus.Complete;
            return new HpackDecodeResult(status, error != HpackError.None ? error : _limitError, _headerCount, _headerListSize);
        }
        finally
        {
            if (_scratch is not null)
            {
                _pool.Return(_scratch);
                _scratch = null;
            }
        }
    }

    public void Dispose() => _table.Dispose();

    private HpackError DecodeFields<THandler>(ReadOnlySpan<byte> block, ref THandler handler)
        where THandler : IHpackHeaderHandler, allows ref struct
    {
        var position = 0;
        var fieldSeen = false;
        var updateSeen = false;
        while (position < block.Length)
        {
            var first = block[position];
            HpackError error;
            if ((first & 0xE0) == 0x20)
            {
                // §4.2: size updates come first in a block, and never above what we allowed (§6.3).
                if (fieldSeen)
                {
                    return HpackError.TableSizeUpdateNotAtStart;
                }

                error = HpackInteger.TryDecode(block, ref position, 5, out var size);
                if (error != HpackError.None)
                {
                    return error;
                }

                if (size > _allowedTableSize)
                {
                    return HpackError.TableSizeUpdateTooLarge;
                }

                _table.SetMaxSize(size);
                updateSeen = true;
                continue;
            }

            if (!fieldSeen && _sizeUpdateRequired && !updateSeen)
            {
                return HpackError.TableSizeUpdateMissing;
            }

            fieldSeen = true;
            error = (first & 0x80) != 0 ? DecodeIndexed(block, ref position, ref handler)
                : (first & 0x40) != 0 ? DecodeLiteral(block, ref position, 6, addToTable: true, neverIndexed: false, ref handler)
                : DecodeLiteral(block, ref position, 4, addToTable: false, neverIndexed: (first & 0x10) != 0, ref handler);
            if (error != HpackError.None)
            {
                return error;
            }
        }

        if (_sizeUpdateRequired && !updateSeen)
        {
            return HpackError.TableSizeUpdateMissing;
        }

        _sizeUpdateRequired = false;
        return HpackError.None;
    }

    private HpackError DecodeIndexed<THandler>(ReadOnlySpan<byte> block, ref int position, ref THandler handler)
        where THandler : IHpackHeaderHandler, allows ref struct
    {
        var error = HpackInteger.TryDecode(block, ref position, 7, out var index);
        if (error != HpackError.None)
        {
            return error;
        }

        error = Lookup(index, out var name, out var value);
        if (error == HpackError.None)
        {
            Deliver(name, value, neverIndexed: false, ref handler);
        }

        return error;
    }

    /// <summary>A literal field (§6.2): its name indexed or literal, its value literal; added to the table when asked.</summary>
    private HpackError DecodeLiteral<THandler>(ReadOnlySpan<byte> block, ref int position, int prefixBits, bool addToTable, bool neverIndexed, ref THandler handler)
        where THandler : IHpackHeaderHandler, allows ref struct
    {
        var error = HpackInteger.TryDecode(block, ref position, prefixBits, out var nameIndex);
        if (error != HpackError.None)
        {
            return error;
        }

        ReadOnlySpan<byte> name;
        var scratchAt = 0;
        error = nameIndex == 0 ? ReadString(block, ref position, ref scratchAt, out name) : Lookup(nameIndex, out name, out _);
        if (error != HpackError.None)
        {
            return error;
        }

        error = ReadString(block, ref position, ref scratchAt, out var value);
        if (error != HpackError.None)
        {
            return error;
        }

        if (scratchAt < 0)
        {
            // Longer than the scratch, so longer than both the header list limit and the table: the
            // field is refused, and an entry that big would have emptied the table (§4.4).
            _limitError = _limitError == HpackError.None ? HpackError.HeaderListTooLarge : _limitError;
            if (addToTable)
            {
                _table.Clear();
            }

            return HpackError.None;
        }

        Deliver(name, value, neverIndexed, ref handler);
        if (addToTable)
        {
            _table.Add(name, value);
        }

        return HpackError.None;
    }

    /// <summary>
    /// A string literal (§5.2): a view of the block when plain, decoded into the scratch at
    /// <paramref name="scratchAt"/> (which then moves past it) when Huffman-coded. A decoded string that
    /// does not fit is only checked, and <paramref name="scratchAt"/> becomes -1; once -1, later strings
    /// of the field are only checked too.
    /// </summary>
    private HpackError ReadString(ReadOnlySpan<byte> block, scoped ref int position, scoped ref int scratchAt, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (position >= block.Length)
        {
            return HpackError.Truncated;
        }

        var huffman = (block[position] & 0x80) != 0;
        var error = HpackInteger.TryDecode(block, ref position, 7, out var length);
        if (error != HpackError.None)
        {
            return error;
        }

        if (length > block.Length - position)
        {
            return HpackError.Truncated;
        }

        var raw = block.Slice(position, length);
        position += length;
        if (!huffman)
        {
            value = raw;
            return HpackError.None;
        }

        if (scratchAt >= 0)
        {
            // Sized by the limits, not by what the pool handed out, so the verdict never depends on the pool.
            var scratchLength = Math.Max(_limits.MaxHeaderListSize, _limits.MaxTableSize);
            _scratch ??= _pool.Rent(scratchLength);
            var room = _scratch.AsSpan(scratchAt, scratchLength - scratchAt);
            error = HpackHuffman.Decode(raw, room, out var written);
            if (error != HpackError.StringTooLong)
            {
                value = room[..written];
                scratchAt += written;
                return error;
            }
        }

        scratchAt = -1;
        return HpackHuffman.Measure(raw, out _);
    }

    private HpackError Lookup(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = value = default;
        if (index == 0)
        {
            return HpackError.IndexZero;
        }

        if (index <= HpackStaticTable.Count)
        {
            name = HpackStaticTable.Name(index);
            value = HpackStaticTable.Value(index);
            return HpackError.None;
        }

        index -= HpackStaticTable.Count;
        if (index > _table.Count)
        {
            return HpackError.IndexOutOfRange;
        }

        _table.Get(index, out name, out value);
        return HpackError.None;
    }

    /// <summary>Counts the field against the limits; past a limit, fields are still counted but no longer delivered.</summary>
    private void Deliver<THandler>(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed, ref THandler handler)
        where THandler : IHpackHeaderHandler, allows ref struct
    {
        _headerCount++;
        _headerListSize = (int)Math.Min((long)_headerListSize + name.Length + value.Length + HpackDynamicTable.EntryOverhead, int.MaxValue);
        if (_limitError != HpackError.None)
        {
            return;
        }

        if (_headerCount > _limits.MaxHeaderCount)
        {
            _limitError = HpackError.TooManyHeaders;
        }
        else if (_headerListSize > _limits.MaxHeaderListSize)
        {
            _limitError = HpackError.HeaderListTooLarge;
        }
        else
        {
            handler.OnHeader(name, value, neverIndexed);
        }
    }
}
