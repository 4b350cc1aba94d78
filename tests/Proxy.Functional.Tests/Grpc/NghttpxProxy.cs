using System.Diagnostics;
using System.Net;
using System.Text;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>
/// nghttpx (Debian's nghttp2-proxy, make h2-peers) as a reference gRPC proxy: h2c in on a free port, h2
/// out to one backend, one process. The gRPC scenarios pass through it, so what they ask of a proxy is
/// what a proxy that gets gRPC right does.
/// </summary>
internal sealed class NghttpxProxy : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NghttpxProxy(Process process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<NghttpxProxy> StartAsync(IPEndPoint backend)
    {
        var port = LoopbackPorts.Free();
        var startInfo = new ProcessStartInfo("nghttpx") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["--conf=/dev/null", "--single-process", "--single-thread", "--workers=1", "--no-via", "--log-level=INFO",
            $"--frontend=127.0.0.1,{port};no-tls", $"--backend={backend.Address},{backend.Port};;proto=h2"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start nghttpx");
        var proxy = new NghttpxProxy(process, new IPEndPoint(IPAddress.Loopback, port));
        process.ErrorDataReceived += (_, line) => proxy.Append(line.Data);
        process.OutputDataReceived += (_, line) => proxy.Append(line.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && await Loopback.IsRefusedAsync(proxy.EndPoint) && clock.Elapsed < StartTimeout)
        {
            await Task.Delay(50);
        }

        if (process.HasExited || clock.Elapsed >= StartTimeout)
        {
            var why = proxy.Describe();
            await proxy.DisposeAsync();
            Assert.Fail("nghttpx did not start listening\n" + why);
        }

        return proxy;
    }

    public string Describe()
    {
        lock (_output)
        {
            return $"$ {_process.StartInfo.FileName} {string.Join(" ", _process.StartInfo.ArgumentList)}\n{_output}";
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
