using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Rpc;

namespace MeshEdge.Codecs.Detection;

/// <summary>
/// Tells a connection's protocol from its first bytes (PROTOCOLS.md): Bolt 0x01/0x02 with a known
/// type and command code, Dubbo 0xdabb, the HTTP/2 client preface, a TLS handshake record, a Redis
/// RESP array, or an HTTP/1 method token followed by a space. The first bytes of these never
/// overlap, so at most one can match; an answer needs a handful of bytes (24 for the HTTP/2
/// preface), and until then the answer is "need more data". Pure and allocation-free.
/// </summary>
internal static class ProtocolSniffer
{
    /// <summary>Longest method token taken for HTTP/1 before giving up (the longest registered is 17).</summary>
    private const int MaxMethodLength = 24;

    private static ReadOnlySpan<byte> Http2Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public static DetectedProtocol Sniff(ReadOnlySpan<byte> prefix)
    {
        if (prefix.IsEmpty)
        {
            return DetectedProtocol.NeedMoreData;
        }

        return prefix[0] switch
        {
            0x01 or 0x02 => FromRpc(BoltDetector.Detect(prefix), DetectedProtocol.Bolt),
            0xda => Fixed(prefix, [0xda, 0xbb], DetectedProtocol.Dubbo),
            0x16 => SniffTls(prefix),
            (byte)'*' => SniffRedis(prefix),
            (byte)'P' when Http2Preface.StartsWith(prefix[..Math.Min(prefix.Length, Http2Preface.Length)]) =>
                prefix.Length >= Http2Preface.Length ? DetectedProtocol.Http2 : DetectedProtocol.NeedMoreData,
            _ => SniffHttp1(prefix),
        };
    }

    private static DetectedProtocol FromRpc(RpcDetection detection, DetectedProtocol protocol) => detection switch
    {
        RpcDetection.Match => protocol,
        RpcDetection.NeedMoreData => DetectedProtocol.NeedMoreData,
        _ => DetectedProtocol.Unknown,
    };

    /// <summary>A fixed magic: every byte seen so far must agree.</summary>
    private static DetectedProtocol Fixed(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> magic, DetectedProtocol protocol)
    {
        var seen = Math.Min(prefix.Length, magic.Length);
        if (!prefix[..seen].SequenceEqual(magic[..seen]))
        {
            return DetectedProtocol.Unknown;
        }

        return seen == magic.Length ? protocol : DetectedProtocol.NeedMoreData;
    }

    /// <summary>A TLS handshake record: content type 22, then a 3.x record version (SSL 3.0 to TLS 1.3).</summary>
    private static DetectedProtocol SniffTls(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length < 3)
        {
            return prefix.Length < 2 || prefix[1] == 0x03 ? DetectedProtocol.NeedMoreData : DetectedProtocol.Unknown;
        }

        return prefix[1] == 0x03 && prefix[2] <= 0x04 ? DetectedProtocol.Tls : DetectedProtocol.Unknown;
    }

    /// <summary>A RESP array: '*' then its length (digits, or -1 for a null array).</summary>
    private static DetectedProtocol SniffRedis(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length < 2)
        {
            return DetectedProtocol.NeedMoreData;
        }

        return prefix[1] is (>= (byte)'0' and <= (byte)'9') or (byte)'-' ? DetectedProtocol.Redis : DetectedProtocol.Unknown;
    }

    /// <summary>A method token (RFC 9110 tchars) ended by a space.</summary>
    private static DetectedProtocol SniffHttp1(ReadOnlySpan<byte> prefix)
    {
        var space = prefix.IndexOf((byte)' ');
        var token = space < 0 ? prefix : prefix[..space];
        if (token.Length > MaxMethodLength || (token.Length > 0 && !Http1Chars.IsToken(token)))
        {
            return DetectedProtocol.Unknown;
        }

        if (space < 0)
        {
            return DetectedProtocol.NeedMoreData;
        }

        return token.IsEmpty ? DetectedProtocol.Unknown : DetectedProtocol.Http1;
    }
}
