using MeshEdge.Codecs.Http1;

namespace MeshEdge.Codecs.Tests.Http1.TestSupport;

/// <summary>One message as the driver saw it; comparable across different ways of cutting the input.</summary>
internal sealed record ParsedMessage(
    string StartLine,
    string Fields,
    Http1BodyFraming Framing,
    bool KeepAlive,
    bool ExpectContinue,
    bool IsUpgrade,
    string Body,
    string Trailers,
    bool BodyComplete)
{
    public Http1RequestHead RequestHead { get; init; }

    public Http1ResponseHead ResponseHead { get; init; }
}
