namespace MeshEdge.Codecs.Http1;

/// <summary>Receives a request head: the request line once, then each header field in order.</summary>
internal interface IHttp1RequestHandler : IHttp1HeaderHandler
{
    void OnRequestLine(Http1Method method, ReadOnlySpan<byte> methodToken, ReadOnlySpan<byte> target, Http1Version version);
}
