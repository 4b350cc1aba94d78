using System.Diagnostics;
using System.Net;
using System.Text;
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
    private readonly Process _process;
    private readonly TempDirectory _directory;
    private readonly StringBuilder _output = new();

    private OpenSslServer(string name, Process process, TempDirectory directory)
    {
        Name = name;
        _process = process;
        _directory = directory;
    }

    public string Name { get; }

    /// <summary>The self-signed certificate, as a CA file for curl's --cacert.</summary>
    public string CertificatePath => _directory.PathOf("cert.pem");

    public IPEndPoint EndPoint { get; private set; } = null!;

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

        var startInfo = new ProcessStartInfo("openssl") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        string[] arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", directory.PathOf("cert.pem"), "-key", directory.PathOf("key.pem"), "-www"];
        foreach (var argument in alpn is null ? arguments : [.. arguments, "-alpn", alpn])
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start openssl s_server");
        var server = new OpenSslServer(name, process, directory);
        var accepting = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            server.Append(line.Data);
            if (line.Data is { } text && AcceptLine().Match(text) is { Success: true } match)
            {
                accepting.TrySetResult(new IPEndPoint(IPAddress.Loopback, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
            }
        };
        process.ErrorDataReceived += (_, line) => server.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ready = await Task.WhenAny(accepting.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(ready == accepting.Task, $"openssl s_server {name} did not start accepting:\n{server.Output}");
        server.EndPoint = await accepting.Task;
        return server;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"^ACCEPT 127\.0\.0\.1:(\d+)")]
    private static partial Regex AcceptLine();
}
