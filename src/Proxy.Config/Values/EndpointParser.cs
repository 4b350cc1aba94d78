using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Config.Values;

/// <summary>
/// Parses "ipv4:port" and "[ipv6]:port". Only IP literals: the proxy must not block on DNS while
/// loading, and a name that resolves differently on reload would silently move traffic.
/// </summary>
internal static class EndpointParser
{
    /// <summary>Parses the address and port; the port's range is the caller's rule (listeners
    /// allow 0, upstream hosts do not), so any 1-9 digit port is returned as is.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out IPAddress? address, out int port,
        [NotNullWhen(false)] out string? problem)
    {
        address = null;
        port = 0;
        string host;
        string portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                problem = NotAnEndpoint(text, close > 0 && close == text.Length - 1 ? "the port is missing" : null);
                return false;
            }

            host = text[1..close];
            portText = text[(close + 2)..];
            if (!IPAddress.TryParse(host, out address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                address = null;
                problem = NotAnEndpoint(text, "brackets hold an IPv6 address");
                return false;
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                problem = NotAnEndpoint(text, IPAddress.TryParse(text, out _) ? "the port is missing" : null);
                return false;
            }

            host = text[..colon];
            portText = text[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                problem = NotAnEndpoint(text, "write IPv6 in brackets, like \"[::1]:80\"");
                return false;
            }

            if (!TryParseStrictIPv4(host, out address))
            {
                var looksLikeName = host.Length > 0 && !char.IsAsciiDigit(host[0]);
                problem = NotAnEndpoint(text, looksLikeName ? "host names are not resolved; use an IP literal" : null);
                return false;
            }
        }

        if (portText.Length is 0 or > 9 || !portText.All(char.IsAsciiDigit))
        {
            address = null;
            problem = NotAnEndpoint(text, portText.Length == 0 ? "the port is missing" : null);
            return false;
        }

        port = int.Parse(portText, NumberStyles.None, CultureInfo.InvariantCulture);
        problem = null;
        return true;
    }

    private static string NotAnEndpoint(string text, string? hint) =>
        hint is null
            ? $"{Tree.ConfigScalar.Quote(text)} is not an IP address and port"
            : $"{Tree.ConfigScalar.Quote(text)} is not an IP address and port ({hint})";

    // IPAddress.TryParse also takes "127.1", "0x7f.0.0.1" and octal "010.0.0.1"; in a config file
    // those are almost always typos, so only the four-decimal-parts form is accepted.
    private static bool TryParseStrictIPv4(string host, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var parts = host.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0')
                || int.Parse(part, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }

        return IPAddress.TryParse(host, out address);
    }
}
