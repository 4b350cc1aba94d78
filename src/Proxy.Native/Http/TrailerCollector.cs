using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Http;

/// <summary>The body reader's handler: keeps a chunked body's trailer fields, to be written on in the next hop's framing.</summary>
internal readonly struct TrailerCollector(HeaderBlock trailers) : IHttp1HeaderHandler
{
    public void OnHeader(Http1KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        trailers.AddField(header, name, value);
}
