using System.Text;
using MeshEdge.Codecs.Http1;

namespace MeshEdge.Codecs.Tests.Http1.TestSupport;

/// <summary>Turns callbacks into strings (Latin-1, so every byte survives) for assertions.</summary>
internal sealed class RecordingHandler : IHttp1RequestHandler, IHttp1ResponseHandler
{
    public string StartLine { get; private set; } = string.Empty;

    public Http1Method Method { get; private set; }

    public List<(Http1KnownHeader Known, string Name, string Value)> Fields { get; } = [];

    public void OnRequestLine(Http1Method method, ReadOnlySpan<byte> methodToken, ReadOnlySpan<byte> target, Http1Version version)
    {
        Method = method;
        StartLine = $"{Text(methodToken)} {Text(target)} {version}";
    }

    public void OnStatusLine(Http1Version version, int statusCode, ReadOnlySpan<byte> reasonPhrase) =>
        StartLine = $"{version} {statusCode} {Text(reasonPhrase)}";

    public void OnHeader(Http1KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        Fields.Add((header, Text(name), Text(value)));

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
