using System.Net;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// An upstream scripted in python3 (h2c with Debian's python3-h2, make http-peers; or plain HTTP/1.1)
/// for behaviour no stock server shows on demand: the script takes its port as its first argument and
/// prints "listening" once it accepts; what else it prints is the test's to count.
/// </summary>
internal sealed class PythonUpstream : IAsyncDisposable
{
    private readonly PeerProcess _process;

    private PythonUpstream(PeerProcess process, int port)
    {
        _process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    /// <param name="name">What failure messages call it.</param>
    /// <param name="script">The python source.</param>
    /// <param name="arguments">Its arguments after the port.</param>
    public static async Task<PythonUpstream> StartAsync(string name, string script, params string[] arguments)
    {
        var directory = new TempDirectory();
        var path = directory.Write("server.py", script);
        var port = LoopbackPorts.Free();

        // The system interpreter: python3-h2 is a Debian package, not a pip one.
        var process = PeerProcess.Start(name, "/usr/bin/python3", [path, $"{port}", .. arguments], directory);
        await process.WaitUntilPrintedAsync("listening");
        return new PythonUpstream(process, port);
    }

    /// <summary>Lines it printed that start with <paramref name="prefix"/>.</summary>
    public int CountLinesStarting(string prefix) => _process.CountLines(line => line.StartsWith(prefix, StringComparison.Ordinal));

    public string Describe() => _process.Describe(3000);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
