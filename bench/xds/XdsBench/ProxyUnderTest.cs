using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Bench.Xds;

/// <summary>
/// The AOT binary started on an Envoy bootstrap (pinned with taskset when asked), with its log in the
/// work directory; its RSS from /proc and its admin API's /metrics. Killed when disposed.
/// </summary>
internal sealed class ProxyUnderTest : IDisposable
{
    private readonly Process _process;

    private ProxyUnderTest(Process process, string log, int adminPort)
    {
        _process = process;
        LogPath = log;
        AdminPort = adminPort;
    }

    public int Pid => _process.Id;

    public string LogPath { get; }

    public int AdminPort { get; }

    public static ProxyUnderTest Start(BenchOptions options, string bootstrap, int adminPort)
    {
        var log = Path.Combine(options.WorkDirectory, $"meshedge-{options.Variant}.log");
        var start = options.ProxyCpu is { } cpu
            ? new ProcessStartInfo("taskset", ["-c", cpu, options.Meshedge, "run", "-c", bootstrap])
            : new ProcessStartInfo(options.Meshedge, ["run", "-c", bootstrap]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new BenchFailure("meshedge did not start");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Append(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Append(writer, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ProxyUnderTest(process, log, adminPort);
    }

    private static void Append(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (writer)
        {
            writer.WriteLine(line);
        }
    }

    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new BenchFailure($"meshedge exited with {_process.ExitCode}; see {LogPath}");
        }
    }

    /// <summary>VmRSS in KiB.</summary>
    public long RssKb()
    {
        EnsureRunning();
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new BenchFailure("no VmRSS in /proc/" + Pid + "/status");
    }

    /// <summary>User plus system CPU time the process has used so far, in milliseconds (/proc/PID/stat, clock ticks of 10 ms).</summary>
    public double CpuMs()
    {
        EnsureRunning();
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    public async Task<string> AdminGetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync($"http://127.0.0.1:{AdminPort}{path}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Waits until the admin API answers (the process is up and serving).</summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            EnsureRunning();
            try
            {
                await AdminGetAsync(http, "/metrics");
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
