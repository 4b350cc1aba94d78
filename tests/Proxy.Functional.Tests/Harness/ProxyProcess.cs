using System.Diagnostics;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// One meshedge process under test. It always runs with MESHEDGE_DIAGNOSTIC_POOL=1 so a leaked or
/// double-returned buffer turns into exit code 3, which <see cref="AssertCleanExit"/> catches. Output is
/// collected from the first byte and written to the test output when the process is disposed, so a
/// failing test always shows what the proxy said.
/// </summary>
internal sealed partial class ProxyProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Generous: a stop only has to beat the configured drain timeout, never a clock.</summary>
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly ITestOutputHelper _output;
    private readonly TempDirectory? _ownedDirectory;
    private readonly string _commandLine;
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ProxyProcess(Process process, ITestOutputHelper output, TempDirectory? ownedDirectory, string commandLine)
    {
        _process = process;
        _output = output;
        _ownedDirectory = ownedDirectory;
        _commandLine = commandLine;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Resident set size of the proxy right now, from /proc.</summary>
    public long ResidentSetBytes => ProcessReadings.ReadResidentSetBytes(Pid);

    /// <summary>Starts meshedge with <paramref name="arguments"/> and returns at once, without waiting for readiness.</summary>
    /// <param name="wrapper">A command that execs the binary in place (so the pid stays the proxy's), given the binary and its arguments.</param>
    public static ProxyProcess Launch(IEnumerable<string> arguments, ITestOutputHelper output, TempDirectory? ownedDirectory = null, IReadOnlyList<string>? wrapper = null)
    {
        var binary = MeshEdgeBinary.Require();
        if (wrapper is not null)
        {
            arguments = [.. wrapper.Skip(1), binary, .. arguments];
        }

        var startInfo = new ProcessStartInfo(wrapper?[0] ?? binary)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = ownedDirectory?.Path ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["MESHEDGE_DIAGNOSTIC_POOL"] = "1";
        var commandLine = "MESHEDGE_DIAGNOSTIC_POOL=1 " + startInfo.FileName + " " + string.Join(" ", startInfo.ArgumentList);
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var proxy = new ProxyProcess(process, output, ownedDirectory, commandLine);
        process.ErrorDataReceived += (_, line) => proxy.OnStderrLine(line.Data);
        process.OutputDataReceived += (_, line) => proxy.OnStdoutLine(line.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return proxy;
    }

    /// <summary>Writes <paramref name="config"/> as TOML, runs <c>meshedge run -c FILE</c> and waits until it serves.</summary>
    public static Task<ProxyProcess> StartAsync(ProxyConfig config, ITestOutputHelper output, params string[] extraArguments) =>
        StartWithFileAsync("meshedge.toml", config.ToToml(), output, extraArguments);

    /// <summary>Writes <paramref name="text"/> to <paramref name="fileName"/> (any format: TOML, JSON, YAML, Envoy, MOSN),
    /// runs <c>meshedge run -c FILE</c> and waits until it serves.</summary>
    public static Task<ProxyProcess> StartWithFileAsync(string fileName, string text, ITestOutputHelper output, params string[] extraArguments) =>
        StartWithFileAsync(fileName, text, output, extraArguments, wrapper: null);

    /// <summary>Like <see cref="StartWithFileAsync(string, string, ITestOutputHelper, string[])"/>, started through <paramref name="wrapper"/> (see <see cref="Launch"/>).</summary>
    private static async Task<ProxyProcess> StartWithFileAsync(string fileName, string text, ITestOutputHelper output, string[] extraArguments, string[]? wrapper)
    {
        var directory = new TempDirectory();
        ProxyProcess proxy;
        try
        {
            var configPath = directory.Write(fileName, text);
            proxy = Launch(["run", "-c", configPath, .. extraArguments], output, directory, wrapper);
        }
        catch
        {
            directory.Dispose();
            throw;
        }

        try
        {
            await proxy.WaitUntilStartedAsync();
            return proxy;
        }
        catch
        {
            // The caller never gets the process, so stop it here and keep its output in the test log.
            await proxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits for <c>msg="meshedge started"</c>, which follows every listener's "listener started" line.</summary>
    public Task WaitUntilStartedAsync() => WaitForLogAsync("meshedge started", StartupTimeout);

    /// <summary>Sends a signal with kill(2); fails the test if the process cannot be signalled.</summary>
    public void Signal(int signal)
    {
        if (Libc.Kill(Pid, signal) != 0)
        {
            Assert.Fail($"kill({Pid}, {signal}) failed with errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}\n{Describe()}");
        }
    }

    /// <summary>Waits for exit and returns the exit code; a hang is killed with SIGKILL and fails the test.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using (var deadline = new CancellationTokenSource(timeout))
        {
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                KillHard();
                Assert.Fail($"meshedge (pid {Pid}) did not exit within {timeout.TotalSeconds:0.#}s and was killed with SIGKILL\n{Describe()}");
            }
        }

        // The exit can race the last lines through the pipes; wait for both to reach end of file.
        await Task.WhenAll(_stderrClosed.Task, _stdoutClosed.Task).WaitAsync(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, then waits for exit; returns the exit code.</summary>
    public Task<int> StopAsync()
    {
        Signal(Libc.SigTerm);
        return WaitForExitAsync(ExitTimeout);
    }

    /// <summary>SIGTERM, then asserts exit code 0, a "stopped" line and no buffer pool complaints.</summary>
    public async Task StopCleanlyAsync() => AssertCleanExit(await StopAsync());

    /// <summary>
    /// Exit code 0 is the leak check: with the diagnostic pool a leaked buffer exits 3. The log lines are
    /// checked too, so a double return that does not change the exit code still fails.
    /// </summary>
    public void AssertCleanExit(int exitCode)
    {
        Assert.True(exitCode == 0, $"meshedge exited with code {exitCode}, expected 0 (3 means a buffer pool leak)\n{Describe()}");
        var complaint = FindLog("buffer pool leak") ?? FindLog("buffer pool double return");
        Assert.True(complaint is null, $"meshedge reported a buffer pool problem: {complaint}\n{Describe()}");
        Assert.True(FindLog("stopped") is not null, $"meshedge exited 0 without logging msg=\"stopped\"\n{Describe()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // The test ended early (it failed). A SIGTERM first gets the exit stats and any leak report
            // into the dump; SIGKILL follows if the drain does not finish quickly.
            Libc.Kill(Pid, Libc.SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                KillHard();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }

        WriteToTestOutput();
        _process.Dispose();
        _ownedDirectory?.Dispose();
    }

    private void KillHard()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill: nothing left to do.
        }
    }

    private void WriteToTestOutput()
    {
        try
        {
            _output.WriteLine(Describe());
        }
        catch (InvalidOperationException)
        {
            // Disposed after the test finished (a fixture); the output helper is closed by then.
        }
    }
}
