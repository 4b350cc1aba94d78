using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// Debian's socat relaying each connection to a free loopback port (a process per connection,
/// <c>fork</c>) to another address, with OpenSSL on one side: a TLS terminator in front of a
/// plaintext server, or a TLS originator behind a plaintext client.
/// </summary>
internal sealed class SocatRelay : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SocatRelay(Process process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>
    /// Listens on a free port: <paramref name="listen"/> is the listening address type with its options
    /// after the port ("TCP-LISTEN" and "", or "OPENSSL-LISTEN" and ",cert=..."), <paramref name="target"/>
    /// the address each connection is relayed to.
    /// </summary>
    public static async Task<SocatRelay> StartAsync(string listen, string listenOptions, string target)
    {
        var port = FreePort();
        var startInfo = new ProcessStartInfo("socat") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        startInfo.ArgumentList.Add("-d");
        startInfo.ArgumentList.Add($"{listen}:{port},bind=127.0.0.1,reuseaddr,fork{listenOptions}");
        startInfo.ArgumentList.Add(target);
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start socat");
        var relay = new SocatRelay(process, new IPEndPoint(IPAddress.Loopback, port));
        process.ErrorDataReceived += (_, line) => relay.Append(line.Data);
        process.OutputDataReceived += (_, line) => relay.Append(line.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && await Loopback.IsRefusedAsync(relay.EndPoint) && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        if (process.HasExited || clock.Elapsed >= TimeSpan.FromSeconds(20))
        {
            var why = relay.Describe();
            await relay.DisposeAsync();
            Assert.Fail("socat did not start listening\n" + why);
        }

        return relay;
    }

    public string Describe()
    {
        lock (_output)
        {
            return "--- socat ---\n" + _output;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
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
}
