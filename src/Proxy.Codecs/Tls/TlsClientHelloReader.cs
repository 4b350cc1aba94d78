using System.Buffers.Binary;

namespace MeshEdge.Codecs.Tls;

/// <summary>
/// Reads the ClientHello at the start of a TLS connection without terminating it (Envoy's
/// tls_inspector): the server name, the ALPN protocols and the versions offered. The hello may be
/// split over several handshake records; its fragments are then gathered into the caller's scratch
/// (at least <c>maxBytes</c> long), else read in place. Pure, synchronous, allocation-free, and it
/// never throws: every length is checked against the bytes present and against the one it nests in.
/// Bounded: a hello (or the records carrying it) longer than <c>maxBytes</c> is
/// <see cref="TlsClientHelloStatus.TooLarge"/>, however slowly it arrives.
/// </summary>
internal static class TlsClientHelloReader
{
    /// <summary>Room for any real client's hello (post-quantum key shares make them ~1.8 KB); Envoy allows 64 KiB.</summary>
    public const int DefaultMaxBytes = 16 * 1024;

    public static TlsClientHelloStatus Read(ReadOnlySpan<byte> input, Span<byte> scratch, int maxBytes, out TlsClientHello hello)
    {
        hello = default;
        var offset = 0;
        var gathered = 0;
        var messageLength = -1;
        while (true)
        {
            var header = input[offset..Math.Min(input.Length, offset + TlsWire.RecordHeaderLength)];
            var headerStatus = CheckRecordHeader(header, first: offset == 0);
            if (headerStatus != TlsClientHelloStatus.Complete)
            {
                return headerStatus;
            }

            int recordLength = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
            if (recordLength is 0 or > TlsWire.MaxRecordFragment)
            {
                return TlsClientHelloStatus.Malformed;
            }

            var fragmentStart = offset + TlsWire.RecordHeaderLength;
            var fragment = input.Slice(fragmentStart, Math.Min(recordLength, input.Length - fragmentStart));

            // The common case: the first record holds the whole hello, read where it lies.
            if (offset == 0 && fragment.Length >= TlsWire.HandshakeHeaderLength)
            {
                var inPlace = MessageLength(fragment, maxBytes, out messageLength);
                if (inPlace != TlsClientHelloStatus.Complete)
                {
                    return inPlace;
                }

                if (messageLength <= recordLength)
                {
                    return fragment.Length < messageLength
                        ? TlsClientHelloStatus.NeedMoreData
                        : Parse(fragment[..messageLength], fragmentStart + messageLength, out hello);
                }
            }

            var take = Math.Min(fragment.Length, (messageLength < 0 ? TlsWire.HandshakeHeaderLength : messageLength) - gathered);
            if (gathered + take > scratch.Length)
            {
                return TlsClientHelloStatus.TooLarge;
            }

            fragment[..take].CopyTo(scratch[gathered..]);
            gathered += take;
            if (messageLength < 0 && gathered == TlsWire.HandshakeHeaderLength)
            {
                var split = MessageLength(scratch[..gathered], maxBytes, out messageLength);
                if (split != TlsClientHelloStatus.Complete)
                {
                    return split;
                }

                // The rest of this record's fragment continues the message.
                var more = Math.Min(fragment.Length - take, messageLength - gathered);
                if (gathered + more > scratch.Length)
                {
                    return TlsClientHelloStatus.TooLarge;
                }

                fragment.Slice(take, more).CopyTo(scratch[gathered..]);
                gathered += more;
                take += more;
            }

            if (messageLength >= 0 && gathered == messageLength)
            {
                return Parse(scratch[..messageLength], fragmentStart + take, out hello);
            }

            if (fragment.Length < recordLength)
            {
                return TlsClientHelloStatus.NeedMoreData;
            }

            offset = fragmentStart + recordLength;
            if (offset + TlsWire.RecordHeaderLength > maxBytes)
            {
                return TlsClientHelloStatus.TooLarge;
            }
        }
    }

    /// <summary>
    /// A record header, possibly partial: handshake type and major version 3, else not TLS at all
    /// (first record) or malformed (a later one). Complete when all five bytes are here and sound.
    /// </summary>
    private static TlsClientHelloStatus CheckRecordHeader(ReadOnlySpan<byte> header, bool first)
    {
        var wrong = first ? TlsClientHelloStatus.NotTls : TlsClientHelloStatus.Malformed;
        if (header.Length >= 1 && header[0] != TlsWire.HandshakeRecord)
        {
            return wrong;
        }

        if (header.Length >= 2 && header[1] != TlsWire.RecordMajorVersion)
        {
            return wrong;
        }

        return header.Length < TlsWire.RecordHeaderLength ? TlsClientHelloStatus.NeedMoreData : TlsClientHelloStatus.Complete;
    }

    /// <summary>The handshake header: a ClientHello, and its whole length (header included) within the bound.</summary>
    private static TlsClientHelloStatus MessageLength(ReadOnlySpan<byte> handshake, int maxBytes, out int length)
    {
        length = TlsWire.HandshakeHeaderLength + (handshake[1] << 16 | handshake[2] << 8 | handshake[3]);
        if (handshake[0] != TlsWire.ClientHelloMessage)
        {
            return TlsClientHelloStatus.Malformed;
        }

        return TlsWire.RecordHeaderLength + length > maxBytes ? TlsClientHelloStatus.TooLarge : TlsClientHelloStatus.Complete;
    }

    /// <summary>The whole ClientHello message (handshake header included): its fixed fields, then its extensions.</summary>
    private static TlsClientHelloStatus Parse(ReadOnlySpan<byte> message, int length, out TlsClientHello hello)
    {
        hello = default;
        var body = new SpanCursor(message[TlsWire.HandshakeHeaderLength..]);
        if (!body.TryUInt16(out var legacyVersion)
            || !body.TrySkip(TlsWire.RandomLength)
            || !body.TryVector8(out var sessionId) || sessionId.Length > TlsWire.MaxSessionIdLength
            || !body.TryVector16(out var cipherSuites) || cipherSuites.Length < 2 || cipherSuites.Length % 2 != 0
            || !body.TryVector8(out var compression) || compression.IsEmpty)
        {
            return TlsClientHelloStatus.Malformed;
        }

        var serverName = ReadOnlySpan<byte>.Empty;
        var alpn = ReadOnlySpan<byte>.Empty;
        ushort versionsMax = 0;
        var seen = 0;

        // A hello with no extensions at all ends here (TLS 1.2 allows it); otherwise they fill the rest exactly.
        if (!body.IsEmpty)
        {
            if (!body.TryVector16(out var extensions) || !body.IsEmpty)
            {
                return TlsClientHelloStatus.Malformed;
            }

            var cursor = new SpanCursor(extensions);
            while (!cursor.IsEmpty)
            {
                if (!cursor.TryUInt16(out var type) || !cursor.TryVector16(out var data))
                {
                    return TlsClientHelloStatus.Malformed;
                }

                // A repeated extension is refused (RFC 8446 4.2) rather than letting the first or the last one route.
                var bit = type switch
                {
                    TlsWire.ServerNameExtension => 1,
                    TlsWire.AlpnExtension => 2,
                    TlsWire.SupportedVersionsExtension => 4,
                    _ => 0,
                };
                if ((seen & bit) != 0)
                {
                    return TlsClientHelloStatus.Malformed;
                }

                seen |= bit;
                var sound = type switch
                {
                    TlsWire.ServerNameExtension => TlsExtensionReader.TryServerName(data, out serverName),
                    TlsWire.AlpnExtension => TlsExtensionReader.TryAlpn(data, out alpn),
                    TlsWire.SupportedVersionsExtension => TlsExtensionReader.TrySupportedVersions(data, out versionsMax),
                    _ => true,
                };
                if (!sound)
                {
                    return TlsClientHelloStatus.Malformed;
                }
            }
        }

        hello = new TlsClientHello
        {
            ServerName = serverName,
            Alpn = new TlsAlpnProtocols(alpn),
            LegacyVersion = legacyVersion,
            SupportedVersionsMax = versionsMax,
            Length = length,
        };
        return TlsClientHelloStatus.Complete;
    }
}
