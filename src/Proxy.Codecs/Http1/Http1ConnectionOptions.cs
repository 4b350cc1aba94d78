namespace MeshEdge.Codecs.Http1;

/// <summary>What the Connection header fields of a message said, merged over all of them.</summary>
[Flags]
internal enum Http1ConnectionOptions : byte
{
    None = 0,
    Close = 1,
    KeepAlive = 2,
    Upgrade = 4,

    /// <summary>
    /// A token other than close, keep-alive and upgrade: some other header is hop-by-hop for this
    /// message, and a proxy must check each name with <see cref="Http1ConnectionTokens.Lists"/>.
    /// </summary>
    NamesOtherHeaders = 8,
}
