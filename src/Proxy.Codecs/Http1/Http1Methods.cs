namespace MeshEdge.Codecs.Http1;

/// <summary>Method tokens by byte comparison. Methods are case-sensitive (RFC 9110 §9.1).</summary>
internal static class Http1Methods
{
    public static Http1Method Classify(ReadOnlySpan<byte> token) => token.Length switch
    {
        3 when token.SequenceEqual("GET"u8) => Http1Method.Get,
        3 when token.SequenceEqual("PUT"u8) => Http1Method.Put,
        4 when token.SequenceEqual("POST"u8) => Http1Method.Post,
        4 when token.SequenceEqual("HEAD"u8) => Http1Method.Head,
        5 when token.SequenceEqual("PATCH"u8) => Http1Method.Patch,
        5 when token.SequenceEqual("TRACE"u8) => Http1Method.Trace,
        6 when token.SequenceEqual("DELETE"u8) => Http1Method.Delete,
        7 when token.SequenceEqual("CONNECT"u8) => Http1Method.Connect,
        7 when token.SequenceEqual("OPTIONS"u8) => Http1Method.Options,
        _ => Http1Method.Custom,
    };

    /// <summary>The token of a well-known method (empty for <see cref="Http1Method.Custom"/>).</summary>
    public static ReadOnlySpan<byte> Token(Http1Method method) => method switch
    {
        Http1Method.Get => "GET"u8,
        Http1Method.Head => "HEAD"u8,
        Http1Method.Post => "POST"u8,
        Http1Method.Put => "PUT"u8,
        Http1Method.Delete => "DELETE"u8,
        Http1Method.Connect => "CONNECT"u8,
        Http1Method.Options => "OPTIONS"u8,
        Http1Method.Trace => "TRACE"u8,
        Http1Method.Patch => "PATCH"u8,
        _ => default,
    };
}
