namespace MeshEdge.Codecs.Http1;

/// <summary>The outcome of looking for one CRLF-terminated line.</summary>
internal enum Http1LineStatus : byte
{
    Found,
    NeedMoreData,
    TooLong,
    BareLineFeed,
}
