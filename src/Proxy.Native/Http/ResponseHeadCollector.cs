using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Http;

/// <summary>
/// The response parser's handler: copies the status and the end-to-end fields into a
/// <see cref="ResponseHead"/>, leaving out hop-by-hop fields (Upgrade stays for a 101). The body's
/// framing is the downstream codec's to choose, so Transfer-Encoding goes.
/// </summary>
internal readonly struct ResponseHeadCollector(ResponseHead head) : IHttp1ResponseHandler
{
    public void OnStatusLine(Http1Version version, int statusCode, ReadOnlySpan<byte> reasonPhrase) =>
        head.SetStatus(statusCode, reasonPhrase);

    public void OnHeader(Http1KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (Http1KnownHeaders.IsHopByHop(header) && header != Http1KnownHeader.Upgrade)
        {
            return;
        }

        head.AddField(header, name, value);
    }
}
