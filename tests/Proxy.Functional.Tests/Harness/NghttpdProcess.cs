using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// nghttpd (Debian's nghttp2-server) as a real HTTP/2 upstream: h2c with prior knowledge, or TLS
/// with ALPN h2. It serves files from <see cref="Root"/>, echoes a request body back
/// (--echo-upload), and logs every frame (-v), so a test counts the connections it accepted.
/// </summary>
internal sealed partial class NghttpdProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _directory;
    private readonly StringBuilder _output = new();

    private NghttpdProcess(Process process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    public string Root => _directory.PathOf("root");

    /// <param name="tls">The server's certificate chain and key for TLS (ALPN h2); null for h2c.</param>
    /// <param name="maxConcurrentStreams">The SETTINGS_MAX_CONCURRENT_STREAMS it advertises.</param>
    public static async Task<NghttpdProcess> StartAsync((string Chain, string Key)? tls = null, int maxConcurrentStreams = 100)
    {
        var directory = new TempDirectory();
        Directory.CreateDirectory(directory.PathOf("root"));
        var port = FreePort();
        var startInfo = new ProcessStartInfo("nghttpd") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        string[] arguments = ["-v", "--echo-upload", "-m", $"{maxConcurrentStreams}", "-d", directory.PathOf("root"), "-a", "127.0.0.1", $"{port}"];
        string[] mode = tls is { } pair ? [pair.Key, pair.Chain] : ["--no-tls"];
        foreach (var argument in arguments.Concat(mode))
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start nghttpd");
        var server = new NghttpdProcess(process, directory, port);
        process.ErrorDataReceived += (_, line) => server.Append(line.Data);
        process.OutputDataReceived += (_, line) => server.Append(line.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && await Loopback.IsRefusedAsync(server.EndPoint) && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        if (process.HasExited || clock.Elapsed >= TimeSpan.FromSeconds(20))
        {
            var why = server.Describe();
            await server.DisposeAsync();
            Assert.Fail("nghttpd did not start listening\n" + why);
        }

        return server;
    }

    /// <summary>Writes a file of <paramref name="size"/> seeded random bytes under the root and returns its content.</summary>
    public byte[] WriteFile(string name, int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(Path.Combine(Root, name), bytes);
        return bytes;
    }

    /// <summary>Connections nghttpd accepted so far: the distinct "[id=N]" its verbose log names (the probe that found it listening is one).</summary>
    public int ConnectionsSeen()
    {
        lock (_output)
        {
            return ConnectionId().Matches(_output.ToString()).Select(m => m.Groups[1].Value).Distinct().Count();
        }
    }

    /// <summary>Lines of the verbose log that contain <paramref name="text"/>.</summary>
    public int CountLines(string text)
    {
        lock (_output)
        {
            return _output.ToString().Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    public string Describe()
    {
        lock (_output)
        {
            var text = _output.ToString();
            return "--- nghttpd output (last 4000 characters) ---\n" + (text.Length > 4000 ? text[^4000..] : text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
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

    [GeneratedRegex(@"\[id=(\d+)\]")]
    private static partial Regex ConnectionId();
}
