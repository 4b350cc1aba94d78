using System.Net;
using System.Text.RegularExpressions;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Backends;

/// <summary>
/// A TLS backend: <c>openssl s_server -www</c> with a self-signed certificate made for it by the
/// openssl CLI (CN = <see cref="Name"/>, one DNS SAN) in a temp directory. Which backend a client
/// reached shows in the certificate it saw; <c>-alpn</c> makes it choose from the client's list.
/// </summary>
internal sealed partial class OpenSslServer : IAsyncDisposable
{
    private readonly PeerProcess _process;
    private readonly TempDirectory _directory;

    private OpenSslServer(string name, PeerProcess process, TempDirectory directory, IPEndPoint endPoint)
    {
        Name = name;
        _process = process;
        _directory = directory;
        EndPoint = endPoint;
    }

    public string Name { get; }

    /// <summary>The self-signed certificate, as a CA file for curl's --cacert.</summary>
    public string CertificatePath => _directory.PathOf("cert.pem");

    public IPEndPoint EndPoint { get; }

    /// <param name="name">The certificate's CN.</param>
    /// <param name="dnsName">The certificate's subjectAltName.</param>
    /// <param name="alpn">Protocols the server accepts, in its order (s_server -alpn); null: no ALPN.</param>
    public static async Task<OpenSslServer> StartAsync(string name, string dnsName, string? alpn = null)
    {
        var directory = new TempDirectory();
        var made = await ToolRun.RunAsync("openssl",
        [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", $"/CN={name}", "-addext", $"subjectAltName=DNS:{dnsName}",
            "-keyout", directory.PathOf("key.pem"), "-out", directory.PathOf("cert.pem"),
        ]);
        Assert.True(made.ExitCode == 0, $"openssl req: {made}");

        string[] arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", directory.PathOf("cert.pem"), "-key", directory.PathOf("key.pem"), "-www"];

        // Port 0: the port it took shows in its "ACCEPT 127.0.0.1:port" line. Its stdin stays open: it ends at EOF there.
        var process = PeerProcess.Start($"openssl s_server {name}", "openssl", alpn is null ? arguments : [.. arguments, "-alpn", alpn], directory, holdInput: true);
        await process.WaitUntilAsync(() => Task.FromResult(AcceptLine().IsMatch(process.Output)), "did not start accepting");
        var port = int.Parse(AcceptLine().Match(process.Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return new OpenSslServer(name, process, directory, new IPEndPoint(IPAddress.Loopback, port));
    }

    public string Output => _process.Output;

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"^ACCEPT 127\.0\.0\.1:(\d+)", RegexOptions.Multiline)]
    private static partial Regex AcceptLine();
}
