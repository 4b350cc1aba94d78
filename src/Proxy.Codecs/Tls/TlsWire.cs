namespace MeshEdge.Codecs.Tls;

/// <summary>The few numbers of the TLS record and handshake layers a ClientHello reader needs (RFC 8446, 6066, 7301).</summary>
internal static class TlsWire
{
    public const byte HandshakeRecord = 22;
    public const byte ClientHelloMessage = 1;

    /// <summary>Every TLS version, SSL 3.0 to TLS 1.3, has major version 3 on the record layer.</summary>
    public const byte RecordMajorVersion = 3;

    public const int RecordHeaderLength = 5;
    public const int HandshakeHeaderLength = 4;

    /// <summary>A record's plaintext fragment is at most 2^14 bytes.</summary>
    public const int MaxRecordFragment = 1 << 14;

    public const int RandomLength = 32;
    public const int MaxSessionIdLength = 32;

    public const ushort ServerNameExtension = 0;
    public const ushort AlpnExtension = 16;
    public const ushort SupportedVersionsExtension = 43;

    /// <summary>The one name type RFC 6066 defines in a server_name list.</summary>
    public const byte HostNameType = 0;

    public const ushort Tls12 = 0x0303;
    public const ushort Tls13 = 0x0304;

    /// <summary>RFC 8701 GREASE values (0x0a0a, 0x1a1a ... 0xfafa): never a real version, so not a maximum.</summary>
    public static bool IsGrease(ushort value) => (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
}
