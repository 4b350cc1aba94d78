using System.Text;
using MeshEdge.Codecs.Http2.Connection;

namespace MeshEdge.Native.Http.Upstream2;

/// <summary>
/// Request fields into an HTTP/2 field list: names lowercased (RFC 9113 8.2.1: an uppercase name is
/// malformed), and the connection-specific fields an HTTP/1.1 client may still have sent left out
/// (8.2.2: Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade, and TE unless it
/// is "trailers"). Fields past the list's limits are dropped and counted in <see cref="Overflowed"/>.
/// </summary>
internal struct Http2RequestFieldSink(Http2Connection codec) : IRequestFieldSink
{
    /// <summary>Fields that did not fit the outgoing list.</summary>
    public int Overflowed { get; private set; }

    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (IsConnectionSpecific(name, value))
        {
            return;
        }

        if (name.IndexOfAnyInRange((byte)'A', (byte)'Z') < 0)
        {
            Overflowed += codec.AddHeader(name, value) ? 0 : 1;
            return;
        }

        Span<byte> lower = stackalloc byte[256];
        if (name.Length > lower.Length)
        {
            Overflowed++;
            return;
        }

        Ascii.ToLower(name, lower, out var written);
        Overflowed += codec.AddHeader(lower[..written], value) ? 0 : 1;
    }

    private static bool IsConnectionSpecific(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => name.Length switch
    {
        2 => Ascii.EqualsIgnoreCase(name, "te"u8) && !Ascii.EqualsIgnoreCase(value, "trailers"u8),
        7 => Ascii.EqualsIgnoreCase(name, "upgrade"u8),
        10 => Ascii.EqualsIgnoreCase(name, "connection"u8) || Ascii.EqualsIgnoreCase(name, "keep-alive"u8),
        16 => Ascii.EqualsIgnoreCase(name, "proxy-connection"u8),
        17 => Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8),
        _ => false,
    };
}
