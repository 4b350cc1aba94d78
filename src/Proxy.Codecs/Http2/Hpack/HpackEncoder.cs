using System.Buffers;

namespace MeshEdge.Codecs.Http2.Hpack;

/// <summary>
/// Encodes fields into HPACK (RFC 7541). The indexing choice is simple and safe: a whole match in
/// either table is one index; secrets (never-indexed fields, authorization headers) stay out of the
/// table (§7.1.3); fields too big to be worth a table slot go without indexing; the rest are added.
/// Strings are Huffman-coded unless that is longer (a tie goes to Huffman, as in RFC 7541 C.6). One per connection and direction; its table comes
/// from a pool once.
/// </summary>
internal sealed class HpackEncoder : IDisposable
{
    private readonly HpackDynamicTable _table;
    private int _pendingSmallestSize = -1;

    /// <param name="maxTableSize">Our cap on the table, whatever larger size the peer allows.</param>
    /// <param name="initialTableSize">
    /// The size the peer's decoder assumes before any update: SETTINGS_HEADER_TABLE_SIZE's initial
    /// 4,096 on a new connection. A cap below it is announced at the start of the first block.
    /// </param>
    public HpackEncoder(int maxTableSize = Http2Constants.DefaultHeaderTableSize, ArrayPool<byte>? pool = null, int initialTableSize = Http2Constants.DefaultHeaderTableSize)
    {
        _table = new HpackDynamicTable(maxTableSize, pool ?? ArrayPool<byte>.Shared);
        if (maxTableSize < initialTableSize)
        {
            _pendingSmallestSize = maxTableSize;
        }

        _table.SetMaxSize(Math.Min(maxTableSize, initialTableSize));
    }

    public int TableSize => _table.Size;

    public int TableCount => _table.Count;

    internal HpackDynamicTable TableForTest => _table;

    /// <summary>
    /// The peer's SETTINGS_HEADER_TABLE_SIZE: the table follows it up to our cap, and the next block
    /// starts with the update(s) that tell the peer (§4.2: the smallest size reached, then the final one).
    /// </summary>
    public void SetPeerTableSize(uint peerSize)
    {
        var size = (int)Math.Min(peerSize, (uint)_table.Bound);
        if (_pendingSmallestSize < 0 && size == _table.MaxSize)
        {
            return;
        }

        _pendingSmallestSize = _pendingSmallestSize < 0 ? size : Math.Min(_pendingSmallestSize, size);
        _table.SetMaxSize(size);
    }

    /// <summary>Writes what must open the next block (pending size updates); call before its first field.</summary>
    public bool TryBeginBlock(Span<byte> destination, out int written)
    {
        written = 0;
        if (_pendingSmallestSize < 0)
        {
            return true;
        }

        var twoUpdates = _pendingSmallestSize < _table.MaxSize;
        var length = (twoUpdates ? HpackInteger.GetLength(_pendingSmallestSize, 5) : 0) + HpackInteger.GetLength(_table.MaxSize, 5);
        if (length > destination.Length)
        {
            return false;
        }

        if (twoUpdates)
        {
            written += HpackInteger.Encode(destination, _pendingSmallestSize, 5, 0x20);
        }

        written += HpackInteger.Encode(destination[written..], _table.MaxSize, 5, 0x20);
        _pendingSmallestSize = -1;
        return true;
    }

    /// <summary>
    /// Encodes one field (the name already lowercase, as HTTP/2 requires). Returns false, changing
    /// nothing, when <paramref name="destination"/> is too small.
    /// </summary>
    public bool TryEncode(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, Span<byte> destination, out int written, bool neverIndex = false)
    {
        written = 0;
        var index = HpackStaticTable.Find(name, value, out var nameIndex);
        if (index == 0)
        {
            var dynamicIndex = _table.Find(name, value, out var dynamicNameIndex);
            index = dynamicIndex == 0 ? 0 : dynamicIndex + HpackStaticTable.Count;
            nameIndex = nameIndex != 0 ? nameIndex : dynamicNameIndex == 0 ? 0 : dynamicNameIndex + HpackStaticTable.Count;
        }

        neverIndex |= IsSecret(name);
        if (index != 0 && !neverIndex)
        {
            if (HpackInteger.GetLength(index, 7) > destination.Length)
            {
                return false;
            }

            written = HpackInteger.Encode(destination, index, 7, 0x80);
            return true;
        }

        // §6.2.1 with indexing, §6.2.3 never indexed, §6.2.2 without indexing for fields over half the table.
        var entrySize = (long)name.Length + value.Length + HpackDynamicTable.EntryOverhead;
        var addToTable = !neverIndex && entrySize <= _table.MaxSize / 2;
        var (prefixBits, flags) = addToTable ? (6, (byte)0x40) : neverIndex ? (4, (byte)0x10) : (4, (byte)0x00);
        // Each string's Huffman length is measured once, for both the size check and the encoding.
        var nameHuffmanLength = nameIndex == 0 ? HpackHuffman.GetEncodedLength(name) : 0;
        var valueHuffmanLength = HpackHuffman.GetEncodedLength(value);
        var length = HpackInteger.GetLength(nameIndex, prefixBits)
            + (nameIndex == 0 ? GetStringLength(name.Length, nameHuffmanLength) : 0)
            + GetStringLength(value.Length, valueHuffmanLength);
        if (length > destination.Length)
        {
            return false;
        }

        written = HpackInteger.Encode(destination, nameIndex, prefixBits, flags);
        if (nameIndex == 0)
        {
            written += EncodeString(name, nameHuffmanLength, destination[written..]);
        }

        written += EncodeString(value, valueHuffmanLength, destination[written..]);
        if (addToTable)
        {
            _table.Add(name, value);
        }

        return true;
    }

    public void Dispose() => _table.Dispose();

    private static bool IsSecret(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("authorization"u8) || name.SequenceEqual("proxy-authorization"u8);

    private static int GetStringLength(int plainLength, int huffmanLength)
    {
        var length = Math.Min(huffmanLength, plainLength);
        return HpackInteger.GetLength(length, 7) + length;
    }

    private static int EncodeString(ReadOnlySpan<byte> value, int huffmanLength, Span<byte> destination)
    {
        if (huffmanLength <= value.Length)
        {
            var at = HpackInteger.Encode(destination, huffmanLength, 7, 0x80);
            return at + HpackHuffman.Encode(value, destination[at..]);
        }

        var written = HpackInteger.Encode(destination, value.Length, 7, 0x00);
        value.CopyTo(destination[written..]);
        return written + value.Length;
    }
}
