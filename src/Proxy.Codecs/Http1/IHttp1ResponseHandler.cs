namespace MeshEdge.Codecs.Http1;

/// <summary>Receives a response head: the status line once, then each header field in order.</summary>
internal interface IHttp1ResponseHandler : IHttp1HeaderHandler
{
    void OnStatusLine(Http1Version version, int statusCode, ReadOnlySpan<byte> reasonPhrase);
}
