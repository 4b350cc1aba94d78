namespace MeshEdge.Codecs.Tls;

/// <summary>
/// What routing needs from a ClientHello, as views: into the input when the hello came in one
/// record (the usual case), else into the caller's reassembly scratch. Valid only as long as that
/// memory is.
/// </summary>
internal readonly ref struct TlsClientHello
{
    /// <summary>The first host_name of the server_name extension, as sent (no case folding); empty when absent.</summary>
    public ReadOnlySpan<byte> ServerName { get; init; }

    /// <summary>The ALPN extension's protocols; empty when the client offered none.</summary>
    public TlsAlpnProtocols Alpn { get; init; }

    /// <summary>ClientHello.legacy_version: 0x0303 for TLS 1.2 and (frozen there) for TLS 1.3.</summary>
    public ushort LegacyVersion { get; init; }

    /// <summary>The highest non-GREASE version of the supported_versions extension; 0 when absent.</summary>
    public ushort SupportedVersionsMax { get; init; }

    /// <summary>Input bytes up to the last byte of the ClientHello (record headers included).</summary>
    public int Length { get; init; }

    /// <summary>The highest version the client offers: supported_versions when sent, else the legacy field.</summary>
    public ushort MaxVersion => SupportedVersionsMax != 0 ? SupportedVersionsMax : LegacyVersion;
}
