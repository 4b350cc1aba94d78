namespace MeshEdge.Codecs.Http1;

/// <summary>The protocol version of a message. HTTP/1.2 to 1.9 parse as 1.1 (RFC 9110 §6.2).</summary>
internal enum Http1Version : byte
{
    Http10,
    Http11,
}
