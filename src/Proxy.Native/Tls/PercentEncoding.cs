namespace MeshEdge.Native.Tls;

/// <summary>URL encoding for PEM in x-forwarded-client-cert: every byte but the unreserved ones (RFC 3986) becomes %XX.</summary>
internal static class PercentEncoding
{
    public static byte[] Encode(ReadOnlySpan<byte> text)
    {
        var length = 0;
        foreach (var b in text)
        {
            length += IsUnreserved(b) ? 1 : 3;
        }

        var encoded = new byte[length];
        var at = 0;
        foreach (var b in text)
        {
            if (IsUnreserved(b))
            {
                encoded[at++] = b;
                continue;
            }

            encoded[at++] = (byte)'%';
            encoded[at++] = "0123456789ABCDEF"u8[b >> 4];
            encoded[at++] = "0123456789ABCDEF"u8[b & 0xF];
        }

        return encoded;
    }

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';
}
