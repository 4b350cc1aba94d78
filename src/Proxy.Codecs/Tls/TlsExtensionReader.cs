namespace MeshEdge.Codecs.Tls;

/// <summary>
/// The three ClientHello extensions routing reads. Each must fill its extension data exactly and
/// hold no empty entry (RFC 6066, 7301, 8446); anything else makes the whole hello malformed, as a
/// TLS server would also refuse it.
/// </summary>
internal static class TlsExtensionReader
{
    /// <summary>server_name: a list of (name type, name); the first host_name, or empty when the list has none.</summary>
    public static bool TryServerName(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> hostName)
    {
        hostName = default;
        var outer = new SpanCursor(data);
        if (!outer.TryVector16(out var list) || !outer.IsEmpty || list.IsEmpty)
        {
            return false;
        }

        var names = new SpanCursor(list);
        while (!names.IsEmpty)
        {
            if (!names.TryByte(out var type) || !names.TryVector16(out var name) || name.IsEmpty)
            {
                return false;
            }

            if (type == TlsWire.HostNameType && hostName.IsEmpty)
            {
                hostName = name;
            }
        }

        return true;
    }

    /// <summary>application_layer_protocol_negotiation: a non-empty list of non-empty names; the list as sent.</summary>
    public static bool TryAlpn(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> protocols)
    {
        protocols = default;
        var outer = new SpanCursor(data);
        if (!outer.TryVector16(out var list) || !outer.IsEmpty || list.IsEmpty)
        {
            return false;
        }

        var names = new SpanCursor(list);
        while (!names.IsEmpty)
        {
            if (!names.TryVector8(out var name) || name.IsEmpty)
            {
                return false;
            }
        }

        protocols = list;
        return true;
    }

    /// <summary>supported_versions (the ClientHello form): a list of two-byte versions; the highest that is not GREASE.</summary>
    public static bool TrySupportedVersions(ReadOnlySpan<byte> data, out ushort max)
    {
        max = 0;
        var outer = new SpanCursor(data);
        if (!outer.TryVector8(out var list) || !outer.IsEmpty || list.Length < 2 || list.Length % 2 != 0)
        {
            return false;
        }

        var versions = new SpanCursor(list);
        while (versions.TryUInt16(out var version))
        {
            if (!TlsWire.IsGrease(version) && version > max)
            {
                max = version;
            }
        }

        return true;
    }
}
