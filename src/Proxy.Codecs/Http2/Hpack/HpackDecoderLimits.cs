namespace MeshEdge.Codecs.Http2.Hpack;

/// <summary>
/// What one decoder accepts. <see cref="MaxTableSize"/> is the SETTINGS_HEADER_TABLE_SIZE we
/// advertise; the other two bound what one field block may decode to, whatever its wire size: the
/// defence against HPACK bombs, where one byte names a 4 KiB table entry again and again.
/// </summary>
internal readonly record struct HpackDecoderLimits(int MaxHeaderListSize, int MaxHeaderCount, int MaxTableSize)
{
    /// <summary>64 KiB of fields (counted as RFC 9113 §6.5.2 does: names, values, 32 per field), 100 fields (Envoy's defaults), a 4 KiB table.</summary>
    public static HpackDecoderLimits Default => new(65_536, 100, Http2Constants.DefaultHeaderTableSize);
}
