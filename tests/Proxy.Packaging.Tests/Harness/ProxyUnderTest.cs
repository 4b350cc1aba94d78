using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// A meshedge started through some launcher (the binary itself, chroot, qemu, the MDWE wrapper) whose
/// pid is meshedge's own, so SIGTERM reaches it. Its stderr is kept and written to the test output.
/// Successors of a SIGHUP upgrade share that stderr and announce their pid in it; once the process
/// that started one exits, it belongs to no process tree of ours, so disposing stops it by that pid.
/// </summary>
internal sealed partial class ProxyUnderTest : IDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly ITestOutputHelper _output;
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<IPEndPoint> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _lines = [];
    private readonly List<int> _successors = [];

    private ProxyUnderTest(Process process, ITestOutputHelper output)
    {
        _process = process;
        _output = output;
    }

    public string CommandLine => _process.StartInfo.FileName + " " + string.Join(" ", _process.StartInfo.ArgumentList);

    public int Pid => _process.Id;

    /// <summary>Starts the launcher and waits for <c>msg="listener started"</c>; returns the bound address.</summary>
    public static async Task<(ProxyUnderTest Proxy, IPEndPoint Address)> StartAsync(ITestOutputHelper output, string file, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        var proxy = new ProxyUnderTest(process, output);
        process.ErrorDataReceived += (_, e) => proxy.OnStderr(e.Data);
        process.OutputDataReceived += (_, e) => proxy.OnStderr(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(proxy._listening.Task, exited, Task.Delay(StartupTimeout));
            if (first != proxy._listening.Task)
            {
                var why = first == exited ? $"exited with code {process.ExitCode}" : $"did not log \"listener started\" within {StartupTimeout.TotalSeconds:0}s";
                throw new Xunit.Sdk.XunitException($"{proxy.CommandLine} {why}\n{proxy.Stderr}");
            }

            return (proxy, await proxy._listening.Task);
        }
        catch
        {
            proxy.Dispose();
            throw;
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>SIGTERM (a graceful drain), then the exit code; a hang is killed and fails the test.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited && Libc.Kill(_process.Id, Libc.SigTerm) != 0)
        {
            Assert.Fail($"kill({_process.Id}, SIGTERM) failed");
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"{CommandLine} did not exit within 30s of SIGTERM and was killed\n{Stderr}");
        }

        return _process.ExitCode;
    }

    /// <summary>
    /// The address the listener named <paramref name="name"/> reported first in its "listener started"
    /// line (the admin API's listener is "admin"); waits for the line.
    /// </summary>
    public async Task<IPEndPoint> ListenerAddressAsync(string name)
    {
        var line = await WaitForLogAsync("listener started", TimeSpan.FromSeconds(30), fields => fields.GetValueOrDefault("listener") == name);
        return IPEndPoint.Parse(line["address"]);
    }

    /// <summary>
    /// Waits for a logfmt line with <c>msg="<paramref name="message"/>"</c> (from this process or a
    /// successor sharing its stderr) whose fields satisfy <paramref name="where"/>; returns its fields.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitForLogAsync(string message, TimeSpan timeout, Func<IReadOnlyDictionary<string, string>, bool>? where = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string[] lines;
            lock (_stderr)
            {
                lines = [.. _lines];
            }

            foreach (var line in lines)
            {
                var fields = LogFields(line);
                if (fields.GetValueOrDefault("msg") == message && (where is null || where(fields)))
                {
                    return fields;
                }
            }

            if (clock.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException($"no msg=\"{message}\" line within {timeout.TotalSeconds:0}s\n{Stderr}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for this launcher's own exit (not a successor's) and returns its code; a hang fails the test.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{CommandLine} did not exit within {timeout.TotalSeconds:0}s\n{Stderr}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        foreach (var pid in Successors())
        {
            if (LeftoverSuccessors.Stop(pid, [_process.StartInfo.FileName, .. _process.StartInfo.ArgumentList]) is { } how)
            {
                _output.WriteLine($"pid {pid}, a successor still running after the test: {how}");
            }
        }

        _output.WriteLine($"$ {CommandLine}\n{Stderr}");
        _process.Dispose();
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.AppendLine(line);
            _lines.Add(line);
            if (line.Contains("msg=\"upgrade complete\"", StringComparison.Ordinal) && int.TryParse(LogFields(line).GetValueOrDefault("pid"), out var successor))
            {
                _successors.Add(successor);
            }
        }

        if (line.Contains("msg=\"listener started\"", StringComparison.Ordinal))
        {
            var match = AddressField().Match(line);
            if (match.Success && IPEndPoint.TryParse(match.Groups[1].Value, out var endPoint))
            {
                _listening.TrySetResult(endPoint);
            }
        }
    }

    private int[] Successors()
    {
        lock (_stderr)
        {
            return [.. _successors];
        }
    }

    private static Dictionary<string, string> LogFields(string line)
    {
        var fields = new Dictionary<string, string>();
        foreach (Match match in LogField().Matches(line))
        {
            fields[match.Groups[1].Value] = match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Value;
        }

        return fields;
    }

    [GeneratedRegex(@"\baddress=(\S+)")]
    private static partial Regex AddressField();

    /// <summary>One logfmt field: key=value or key="quoted value".</summary>
    [GeneratedRegex(@"(?:^|\s)([a-z_0-9]+)=(?:""([^""]*)""|(\S*))")]
    private static partial Regex LogField();
}
