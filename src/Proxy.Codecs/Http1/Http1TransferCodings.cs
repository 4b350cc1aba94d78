using System.Text;

namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Transfer-Encoding, merged over every field line of a head (RFC 9112 §6.1). Chunked must be the
/// last coding and appear once; "chunked, identity", "xchunked" and "chunked;x=y" are all refused
/// rather than guessed at, since any guess may differ from the upstream's.
/// </summary>
internal struct Http1TransferCodings
{
    public bool Present { get; private set; }

    public bool ChunkedIsLast { get; private set; }

    private bool _sawChunked;
    private bool _sawAnyCoding;

    public Http1Error Merge(ReadOnlySpan<byte> value)
    {
        Present = true;
        while (Http1ListElements.TryNext(ref value, out var element))
        {
            if (_sawChunked)
            {
                // Anything after chunked, even a second chunked, means the length is not chunked framing.
                return Http1Error.ChunkedNotLast;
            }

            var semicolon = element.IndexOf((byte)';');
            var coding = semicolon < 0 ? element : Http1Chars.TrimWhitespace(element[..semicolon]);
            if (!Http1Chars.IsToken(coding))
            {
                return Http1Error.InvalidTransferEncoding;
            }

            _sawAnyCoding = true;
            if (Ascii.EqualsIgnoreCase(coding, "chunked"u8))
            {
                if (semicolon >= 0)
                {
                    return Http1Error.InvalidTransferEncoding;
                }

                _sawChunked = true;
                ChunkedIsLast = true;
            }
            else if (IsKnownCoding(coding))
            {
                ChunkedIsLast = false;
            }
            else
            {
                return Http1Error.UnknownTransferCoding;
            }
        }

        return Http1Error.None;
    }

    /// <summary>A Transfer-Encoding field made only of empty elements names no coding: invalid.</summary>
    public readonly bool IsEmptyList => Present && !_sawAnyCoding;

    private static bool IsKnownCoding(ReadOnlySpan<byte> coding) =>
        Ascii.EqualsIgnoreCase(coding, "gzip"u8)
        || Ascii.EqualsIgnoreCase(coding, "x-gzip"u8)
        || Ascii.EqualsIgnoreCase(coding, "deflate"u8)
        || Ascii.EqualsIgnoreCase(coding, "compress"u8)
        || Ascii.EqualsIgnoreCase(coding, "x-compress"u8);
}
