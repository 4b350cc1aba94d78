using System.Buffers;
using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Http.Routing;

namespace MeshEdge.Native.Http;

/// <summary>
/// The response parser's handler: writes the head sent downstream as the fields go past, without
/// hop-by-hop fields (Transfer-Encoding stays: the body is forwarded as it came; Upgrade stays on a
/// 101) and without those the route removes. The caller ends the head once framing is known.
/// </summary>
internal readonly struct ResponseHeadRewriter(IBufferWriter<byte> output, HeaderMutation mutation) : IHttp1ResponseHandler
{
    public void OnStatusLine(Http1Version version, int statusCode, ReadOnlySpan<byte> reasonPhrase) =>
        Http1Writer.WriteStatusLine(output, Http1Version.Http11, statusCode, reasonPhrase);

    public void OnHeader(Http1KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (Http1KnownHeaders.IsHopByHop(header) && header is not (Http1KnownHeader.TransferEncoding or Http1KnownHeader.Upgrade))
        {
            return;
        }

        if (!mutation.IsEmpty && mutation.Removes(name))
        {
            return;
        }

        Http1Writer.WriteHeader(output, name, value);
    }
}
