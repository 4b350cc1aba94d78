using System.Net;
using System.Text.RegularExpressions;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// One TLS handshake by <c>openssl s_client</c> (stdin closed, so it ends after the handshake) and
/// what it saw: the peer certificate's subject CN and the ALPN protocol the server chose.
/// </summary>
internal sealed partial record OpenSslClient(ToolRun Run)
{
    /// <param name="serverName">-servername; null sends no SNI (-noservername).</param>
    /// <param name="alpn">-alpn, a comma-separated list; null offers none.</param>
    public static async Task<OpenSslClient> HandshakeAsync(IPEndPoint address, string? serverName, string? alpn = null, string version = "-tls1_3")
    {
        List<string> arguments = ["s_client", "-connect", address.ToString(), version];
        arguments.AddRange(serverName is null ? ["-noservername"] : ["-servername", serverName]);
        if (alpn is not null)
        {
            arguments.AddRange(["-alpn", alpn]);
        }

        return new OpenSslClient(await ToolRun.RunAsync("openssl", arguments, closeInput: true));
    }

    /// <summary>The CN of the certificate the server sent; null when the handshake did not get that far.</summary>
    public string? PeerCommonName => SubjectLine().Match(Run.Stdout) is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>"h2", "http/1.1"...; null when the server chose none.</summary>
    public string? Alpn => AlpnLine().Match(Run.Stdout) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"^subject=CN ?= ?(\S+)", RegexOptions.Multiline)]
    private static partial Regex SubjectLine();

    [GeneratedRegex(@"^ALPN protocol: (\S+)", RegexOptions.Multiline)]
    private static partial Regex AlpnLine();
}
