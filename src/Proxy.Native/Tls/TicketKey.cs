namespace MeshEdge.Native.Tls;

/// <summary>
/// One session-ticket key (RFC 5077's layout, as nginx's 80-byte key files have it): a 16-byte name
/// the ticket carries in clear, a 32-byte AES-256-CBC key and a 32-byte HMAC-SHA256 key.
/// </summary>
internal sealed class TicketKey
{
    public const int NameLength = 16;
    public const int SecretLength = 32;
    public const int Length = NameLength + (2 * SecretLength);

    private TicketKey(byte[] bytes) => Bytes = bytes;

    /// <summary>Name, AES key and HMAC key, in that order (what the hot upgrade hands over).</summary>
    public byte[] Bytes { get; }

    public ReadOnlySpan<byte> Name => Bytes.AsSpan(0, NameLength);

    /// <summary>A new random key, from libcrypto's generator (.NET's would link its own OpenSSL shim into the binary).</summary>
    public static unsafe TicketKey Generate()
    {
        var bytes = new byte[Length];
        fixed (byte* buffer = bytes)
        {
            if (Interop.LibCrypto.RAND_bytes(buffer, Length) != 1)
            {
                throw new InvalidOperationException("libcrypto could not make random bytes for a session ticket key");
            }
        }

        return new TicketKey(bytes);
    }

    /// <summary>A key handed over by a predecessor; null when it is not <see cref="Length"/> bytes.</summary>
    public static TicketKey? FromBytes(ReadOnlySpan<byte> bytes) => bytes.Length == Length ? new TicketKey(bytes.ToArray()) : null;
}
