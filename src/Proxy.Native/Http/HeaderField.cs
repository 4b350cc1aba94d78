using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Http;

/// <summary>Where one header field's name and value sit in a <see cref="HeaderBlock"/>'s byte store.</summary>
internal struct HeaderField
{
    public Http1KnownHeader Known;
    public int NameOffset;
    public int NameLength;
    public int ValueOffset;
    public int ValueLength;

    /// <summary>A hop-by-hop field: kept for this hop's decisions, never written on.</summary>
    public bool Dropped;
}
