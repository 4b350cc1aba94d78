using MeshEdge.Codecs.Http2.Hpack;

namespace MeshEdge.Fuzz;

/// <summary>Checks each delivered field against the decoder's limits and counts them.</summary>
internal struct LimitCheckingHandler(HpackDecoderLimits limits, List<(byte[] Name, byte[] Value, bool NeverIndexed)>? copies) : IHpackHeaderHandler
{
    public int Fields;
    public long Size;

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed)
    {
        Fields++;
        Size += name.Length + value.Length + 32;
        Invariant.Holds(Fields <= limits.MaxHeaderCount, "no more fields are delivered than the count limit");
        Invariant.Holds(Size <= limits.MaxHeaderListSize, "no more bytes are delivered than the header list limit");
        copies?.Add((name.ToArray(), value.ToArray(), neverIndexed));
    }
}
