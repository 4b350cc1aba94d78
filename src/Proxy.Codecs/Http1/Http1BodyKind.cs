namespace MeshEdge.Codecs.Http1;

/// <summary>How a message body is delimited (RFC 9112 §6.3).</summary>
internal enum Http1BodyKind : byte
{
    /// <summary>No body: the message ends with its head.</summary>
    None,

    /// <summary>Exactly <see cref="Http1BodyFraming.ContentLength"/> bytes follow.</summary>
    ContentLength,

    /// <summary>Chunked transfer coding; ends with the last chunk and the trailer section.</summary>
    Chunked,

    /// <summary>Responses only: the body runs until the server closes the connection.</summary>
    UntilClose,
}
