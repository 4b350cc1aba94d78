namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Receives field lines. Implement it on a struct: the parsers are generic over the handler, so the
/// JIT/AOT compiler specialises them and inlines the callbacks (Kestrel's IHttpRequestLineHandler idea).
/// The spans are valid only during the call: they point into the input, or into a scratch copy when a
/// line straddles two blocks. Store offsets or copy, never the span.
/// </summary>
internal interface IHttp1HeaderHandler
{
    /// <param name="header">The recognised name, or Unknown; use Http1KnownHeaders.IsHopByHop to drop hop-by-hop fields.</param>
    /// <param name="name">The field name as sent.</param>
    /// <param name="value">The field value without surrounding whitespace.</param>
    void OnHeader(Http1KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}
