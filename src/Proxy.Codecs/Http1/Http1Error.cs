namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Why a message was rejected. Every one ends the connection: after a framing error the proxy can no
/// longer tell where the next message starts, and guessing is exactly what request smuggling exploits.
/// <see cref="Http1ErrorStatus"/> maps each to the status to send.
/// </summary>
internal enum Http1Error : byte
{
    None,

    // Start line (400 unless noted).
    InvalidMethod,
    InvalidRequestTarget,
    InvalidVersion,

    /// <summary>A well-formed version the proxy does not speak (HTTP/2.0 and up on an HTTP/1 line): 505.</summary>
    UnsupportedVersion,
    InvalidStatusLine,

    /// <summary>The request-target alone outgrew the start-line limit: 414 (RFC 9112 §3).</summary>
    UriTooLong,

    /// <summary>The start line outgrew the limit before its target began (a huge method): 400.</summary>
    StartLineTooLong,

    // Line structure.
    /// <summary>LF without the CR before it. RFC 9112 §2.2 lets a parser accept it; a proxy must not,
    /// since an upstream that disagrees would see different message boundaries.</summary>
    BareLineFeed,
    NulCharacter,

    // Field lines.
    /// <summary>A field line (or the first line after the start line) begins with SP or HT.</summary>
    ObsFold,
    WhitespaceBeforeColon,
    MissingColon,
    InvalidFieldName,
    InvalidFieldValue,

    /// <summary>431 (RFC 6585 §5).</summary>
    HeaderSectionTooLarge,

    /// <summary>431 (RFC 6585 §5).</summary>
    TooManyHeaders,

    // Semantics of the head.
    MissingHost,
    MultipleHost,
    InvalidHost,
    InvalidContentLength,
    ConflictingContentLength,
    ContentLengthWithTransferEncoding,
    InvalidTransferEncoding,

    /// <summary>Chunked is present but not the last coding, or a request's last coding is not chunked.</summary>
    ChunkedNotLast,

    /// <summary>A transfer coding the proxy does not implement: 501 (RFC 9112 §6.1).</summary>
    UnknownTransferCoding,

    /// <summary>Transfer-Encoding in an HTTP/1.0 message: the framing is faulty (RFC 9112 §6.1).</summary>
    TransferEncodingInHttp10,

    // Chunked body.
    InvalidChunkSize,
    ChunkSizeOverflow,
    InvalidChunkExtension,
    MissingChunkCrlf,
    ChunkSizeLineTooLong,
}
