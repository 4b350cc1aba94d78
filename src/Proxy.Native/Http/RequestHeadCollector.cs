using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Http;

/// <summary>The request parser's handler: copies the request line and each field into the stream's <see cref="RequestHead"/>.</summary>
internal readonly struct RequestHeadCollector(RequestHead head) : IHttp1RequestHandler
{
    public void OnRequestLine(Http1Method method, ReadOnlySpan<byte> methodToken, ReadOnlySpan<byte> target, Http1Version version) =>
        head.SetRequestLine(method, methodToken, target, version);

    public void OnHeader(Http1KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        head.AddField(header, name, value);
}
