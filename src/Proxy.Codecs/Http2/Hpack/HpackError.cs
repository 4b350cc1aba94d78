namespace MeshEdge.Codecs.Http2.Hpack;

/// <summary>
/// Why a field block was refused. The limits (<see cref="HeaderListTooLarge"/>,
/// <see cref="TooManyHeaders"/>) end only the stream: the block was still decoded to its end, so the
/// dynamic table stays in step with the peer's. Everything else is a COMPRESSION_ERROR for the whole
/// connection (RFC 9113 §4.3).
/// </summary>
internal enum HpackError : byte
{
    None,

    /// <summary>The block ends inside a representation, an integer or a string.</summary>
    Truncated,

    /// <summary>An integer past 2^31-1, or longer than any such integer needs.</summary>
    IntegerOverflow,

    /// <summary>Index 0 (§6.1).</summary>
    IndexZero,

    /// <summary>An index past the static and dynamic tables (§2.3.3).</summary>
    IndexOutOfRange,

    /// <summary>A Huffman string containing EOS (§5.2).</summary>
    HuffmanEndOfString,

    /// <summary>Huffman padding longer than 7 bits or not all ones (§5.2).</summary>
    HuffmanPadding,

    /// <summary>A decoded string longer than the room given for it (internal; surfaces as <see cref="HeaderListTooLarge"/>).</summary>
    StringTooLong,

    /// <summary>A dynamic table size update above the SETTINGS_HEADER_TABLE_SIZE we sent (§6.3).</summary>
    TableSizeUpdateTooLarge,

    /// <summary>A dynamic table size update after the first field of a block (§4.2).</summary>
    TableSizeUpdateNotAtStart,

    /// <summary>We lowered SETTINGS_HEADER_TABLE_SIZE and the next block did not start with an update (§4.2).</summary>
    TableSizeUpdateMissing,

    /// <summary>The decoded header list passed the limit (names, values and 32 per field, RFC 9113 §6.5.2).</summary>
    HeaderListTooLarge,

    /// <summary>More fields than the limit.</summary>
    TooManyHeaders,
}
