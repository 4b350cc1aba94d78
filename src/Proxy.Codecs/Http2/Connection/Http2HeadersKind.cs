namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>What a received field block is to the stream it came on.</summary>
internal enum Http2HeadersKind : byte
{
    /// <summary>Server role: the request head that opens a stream (:method, :scheme, :authority, :path).</summary>
    Request,

    /// <summary>Client role: a 1xx head; the final response follows on the same stream.</summary>
    InformationalResponse,

    /// <summary>Client role: the final response head (:status 200-599).</summary>
    Response,

    /// <summary>A field block after the head, ending the stream; no pseudo-headers.</summary>
    Trailers,
}
