using System.Text;
using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Admin;

/// <summary>The admin parser's handler: keeps the method and the path; the admin endpoints need nothing else.</summary>
internal struct AdminRequestLine : IHttp1RequestHandler
{
    public Http1Method Method;
    public string? Path;
    public string? Query;

    public void OnRequestLine(Http1Method method, ReadOnlySpan<byte> methodToken, ReadOnlySpan<byte> target, Http1Version version)
    {
        Method = method;
        var text = Encoding.ASCII.GetString(target);
        var question = text.IndexOf('?');
        Path = question < 0 ? text : text[..question];
        Query = question < 0 ? "" : text[(question + 1)..];
    }

    public readonly void OnHeader(Http1KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
    }
}
