using System.Net;
using System.Text.RegularExpressions;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// nghttpd (Debian's nghttp2-server) as a real HTTP/2 upstream: h2c with prior knowledge, or TLS
/// with ALPN h2. It serves files from <see cref="Root"/>, echoes a request body back
/// (--echo-upload), and logs every frame (-v), so a test counts the connections it accepted.
/// </summary>
internal sealed partial class NghttpdProcess : IAsyncDisposable
{
    private readonly PeerProcess _process;
    private readonly TempDirectory _directory;

    private NghttpdProcess(PeerProcess process, TempDirectory directory, int port)
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
        var port = LoopbackPorts.Free();
        string[] arguments = ["-v", "--echo-upload", "-m", $"{maxConcurrentStreams}", "-d", directory.PathOf("root"), "-a", "127.0.0.1", $"{port}"];
        string[] mode = tls is { } pair ? [pair.Key, pair.Chain] : ["--no-tls"];
        var server = new NghttpdProcess(PeerProcess.Start("nghttpd", "nghttpd", [.. arguments, .. mode], directory), directory, port);
        await server._process.WaitUntilListeningAsync(server.EndPoint);
        return server;
    }

    /// <summary>Writes a file of <paramref name="size"/> seeded random bytes under the root and returns its content.</summary>
    public byte[] WriteFile(string name, int size, int seed) => RandomFile.Write(Path.Combine(Root, name), size, seed);

    /// <summary>Connections nghttpd accepted so far: the distinct "[id=N]" its verbose log names (the probe that found it listening is one).</summary>
    public int ConnectionsSeen() => ConnectionId().Matches(_process.Output).Select(m => m.Groups[1].Value).Distinct().Count();

    /// <summary>Lines of the verbose log that contain <paramref name="text"/>.</summary>
    public int CountLines(string text) => _process.CountLines(line => line.Contains(text, StringComparison.Ordinal));

    public string Describe() => _process.Describe();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"\[id=(\d+)\]")]
    private static partial Regex ConnectionId();
}
