using System.Text;

namespace MeshEdge.Codecs.Http1;

/// <summary>Connection options (RFC 9110 §7.6.1): case-insensitive tokens in a comma-separated list.</summary>
internal static class Http1ConnectionTokens
{
    public static Http1ConnectionOptions Parse(ReadOnlySpan<byte> value)
    {
        var options = Http1ConnectionOptions.None;
        while (Http1ListElements.TryNext(ref value, out var token))
        {
            if (Ascii.EqualsIgnoreCase(token, "close"u8))
            {
                options |= Http1ConnectionOptions.Close;
            }
            else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
            {
                options |= Http1ConnectionOptions.KeepAlive;
            }
            else if (Ascii.EqualsIgnoreCase(token, "upgrade"u8))
            {
                options |= Http1ConnectionOptions.Upgrade;
            }
            else
            {
                options |= Http1ConnectionOptions.NamesOtherHeaders;
            }
        }

        return options;
    }

    /// <summary>Whether a Connection field value names <paramref name="fieldName"/>, which then must not be forwarded.</summary>
    public static bool Lists(ReadOnlySpan<byte> connectionValue, ReadOnlySpan<byte> fieldName)
    {
        while (Http1ListElements.TryNext(ref connectionValue, out var token))
        {
            if (Ascii.EqualsIgnoreCase(token, fieldName))
            {
                return true;
            }
        }

        return false;
    }
}
