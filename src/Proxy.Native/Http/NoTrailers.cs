using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Http;

/// <summary>Trailer fields are forwarded with the body bytes as they came; the body reader's callback has nothing to do.</summary>
internal readonly struct NoTrailers : IHttp1HeaderHandler
{
    public void OnHeader(Http1KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
    }
}
