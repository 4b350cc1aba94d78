namespace MeshEdge.Native.Http;

/// <summary>
/// Where the upstream request's fields go, one version's way: HTTP/1.1 header lines
/// (<see cref="Http1RequestFieldSink"/>) or an HTTP/2 field list. Implemented by structs, so
/// <see cref="RequestHeadWriter.WriteFields"/> is specialised for each without a virtual call.
/// </summary>
internal interface IRequestFieldSink
{
    void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}
