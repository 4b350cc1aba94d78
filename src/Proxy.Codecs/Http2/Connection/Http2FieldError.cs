namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>Why a field block is malformed (RFC 9113 §8.1.1, §8.2, §8.3): the stream is reset with PROTOCOL_ERROR.</summary>
internal enum Http2FieldError : byte
{
    None,

    /// <summary>A name with an uppercase letter (§8.2: names are lowercase in HTTP/2).</summary>
    UppercaseName,

    /// <summary>An empty name, or one with a control, space, DEL, non-ASCII byte or a colon past the first byte (§8.2.1).</summary>
    InvalidName,

    /// <summary>A value with NUL, CR or LF, or with leading or trailing whitespace (§8.2.1).</summary>
    InvalidValue,

    /// <summary>A pseudo-header after a regular field (§8.3).</summary>
    PseudoAfterRegular,

    /// <summary>A pseudo-header not defined for this kind of block (a request's in a response, or an unknown one).</summary>
    UnknownPseudo,

    DuplicatePseudo,

    /// <summary>Trailers carry no pseudo-headers (§8.1).</summary>
    PseudoInTrailers,

    /// <summary>Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding or Upgrade (§8.2.2).</summary>
    ConnectionSpecific,

    /// <summary>TE with anything but "trailers" (§8.2.2).</summary>
    InvalidTe,

    /// <summary>content-length not a number, or two that differ.</summary>
    InvalidContentLength,

    /// <summary>A request without :method, :scheme or :path (or CONNECT without :authority), a response without :status (§8.3.1, §8.3.2).</summary>
    MissingPseudo,

    /// <summary>An empty :path (§8.3.1).</summary>
    EmptyPath,

    /// <summary>:status not three digits, or 101 (§8.3.2, §8.6).</summary>
    InvalidStatus,

    /// <summary>CONNECT with :scheme or :path (§8.5).</summary>
    ConnectWithSchemeOrPath,

    /// <summary>The DATA received differs from content-length (§8.1.1).</summary>
    ContentLengthMismatch,

    /// <summary>A second field block without END_STREAM (§8.1: trailers end the stream).</summary>
    TrailersWithoutEndStream,

    /// <summary>DATA before the head (client role: before the final response), §8.1.</summary>
    DataBeforeHeaders,
}
