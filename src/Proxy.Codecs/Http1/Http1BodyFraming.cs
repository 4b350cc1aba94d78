namespace MeshEdge.Codecs.Http1;

/// <summary>The body framing decided from a head; hand it to <see cref="Http1BodyReader"/>.</summary>
internal readonly struct Http1BodyFraming
{
    private Http1BodyFraming(Http1BodyKind kind, long contentLength)
    {
        Kind = kind;
        ContentLength = contentLength;
    }

    public Http1BodyKind Kind { get; }

    /// <summary>The body length for <see cref="Http1BodyKind.ContentLength"/>, else 0.</summary>
    public long ContentLength { get; }

    public static Http1BodyFraming None => default;

    public static Http1BodyFraming Chunked => new(Http1BodyKind.Chunked, 0);

    public static Http1BodyFraming UntilClose => new(Http1BodyKind.UntilClose, 0);

    /// <summary>A zero length is no body at all, so callers need only test <see cref="Kind"/>.</summary>
    public static Http1BodyFraming Length(long length) =>
        length == 0 ? None : new(Http1BodyKind.ContentLength, length);

    public override string ToString() => Kind == Http1BodyKind.ContentLength ? $"ContentLength({ContentLength})" : Kind.ToString();
}
