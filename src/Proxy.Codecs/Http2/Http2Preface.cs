namespace MeshEdge.Codecs.Http2;

/// <summary>The client connection preface, <c>PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n</c> (RFC 9113 §3.4).</summary>
internal static class Http2Preface
{
    public static ReadOnlySpan<byte> Bytes => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public const int Length = 24;

    /// <summary>
    /// Complete (and <see cref="Length"/> bytes to consume) when the input starts with the preface,
    /// NeedMoreData while what came is a prefix of it, a connection PROTOCOL_ERROR as soon as one byte differs.
    /// </summary>
    public static Http2ReadResult Read(ReadOnlySpan<byte> input)
    {
        var compared = Math.Min(input.Length, Length);
        if (!input[..compared].SequenceEqual(Bytes[..compared]))
        {
            return Http2ReadResult.Failed(Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.PrefaceMismatch), 0);
        }

        return compared == Length ? Http2ReadResult.Complete(Length) : Http2ReadResult.NeedMoreData(Length);
    }
}
