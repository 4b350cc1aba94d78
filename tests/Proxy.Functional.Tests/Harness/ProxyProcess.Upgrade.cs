using System.Diagnostics;
using System.Globalization;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// A SIGHUP upgrade starts successors as children of this process, and they inherit its stdout and
/// stderr: their log lines arrive here too, and the pipes stay open after this process exits. These
/// helpers therefore wait for lines and for the exit without waiting for the pipes to close.
/// </summary>
internal sealed partial class ProxyProcess
{
    /// <summary>The config file <see cref="StartAsync"/> wrote, for tests that change it before an upgrade.</summary>
    public string ConfigPath => ConfigFile("meshedge.toml");

    /// <summary>The config file named <paramref name="fileName"/> in the directory it was written to (an Envoy bootstrap's <c>envoy.json</c>).</summary>
    public string ConfigFile(string fileName) => _ownedDirectory?.PathOf(fileName)
        ?? throw new InvalidOperationException("this process was launched without a config of its own");

    /// <summary>
    /// Puts <paramref name="text"/> in the config file for the successor of the next SIGHUP, unseen by
    /// this process's file watcher, so that it is not applied live first (the watcher would do that
    /// about a second later, and a loaded machine can take longer to start the successor). The watcher
    /// reads the content only when size or mtime move (README: "watched: size/mtime, then a content
    /// hash"): the text, padded with blank lines to the file's length, is renamed over the file with
    /// the file's mtime. A successor reads the file afresh at start, so it gets the new text.
    /// </summary>
    public void WriteConfigForSuccessor(string text)
    {
        var current = new FileInfo(ConfigPath);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (bytes.Length > current.Length)
        {
            throw new ArgumentException($"the new config has {bytes.Length} bytes, more than the {current.Length} of the file it replaces unseen", nameof(text));
        }

        var padded = new byte[current.Length];
        bytes.CopyTo(padded, 0);
        padded.AsSpan(bytes.Length).Fill((byte)'\n');
        var next = ConfigPath + ".next";
        File.WriteAllBytes(next, padded);
        File.SetLastWriteTimeUtc(next, current.LastWriteTimeUtc);
        File.Move(next, ConfigPath, overwrite: true);
    }

    /// <summary>Waits for a line from this process or any successor; the first process exiting is no reason to stop.</summary>
    public async Task<LogLine> WaitForAnyLogAsync(string message, TimeSpan timeout, Func<LogLine, bool>? where = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (FindLog(message, where) is { } found)
            {
                return found;
            }

            if (clock.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException($"no msg=\"{message}\" line within {timeout.TotalSeconds:0.#}s\n{Describe()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits for a line of process <paramref name="pid"/> (this one or a successor).</summary>
    public Task<LogLine> WaitForLogOfAsync(string message, int pid, TimeSpan timeout) =>
        WaitForAnyLogAsync(message, timeout, line => line.Get("pid") == PidText(pid));

    /// <summary>Waits for the upgrade of <paramref name="predecessorPid"/> to complete; returns the successor's pid.</summary>
    public async Task<int> WaitForSuccessorAsync(int predecessorPid, TimeSpan timeout) =>
        (int)(await WaitForAnyLogAsync("upgrade complete", timeout, line => line.Get("predecessor_pid") == PidText(predecessorPid))).RequireLong("pid");

    /// <summary>Process <paramref name="pid"/> logs "stopped" with exit code 0 and is gone.</summary>
    public async Task AssertStoppedAsync(MeshEdgeProcesses processes, int pid, TimeSpan timeout)
    {
        var stopped = await WaitForLogOfAsync("stopped", pid, timeout);
        Assert.True(stopped.Get("exit_code") == "0", $"pid {pid}: {stopped}\n{Describe()}");
        Assert.True(await processes.WaitForExitAsync(pid, TimeSpan.FromSeconds(10)), $"pid {pid} logged stopped but is still running");
    }

    /// <summary>A pid as the log writes it.</summary>
    public static string PidText(int pid) => pid.ToString(CultureInfo.InvariantCulture);

    /// <summary>All lines with <c>msg="<paramref name="message"/>"</c>.</summary>
    public IReadOnlyList<LogLine> FindLogs(string message)
    {
        lock (_linesGate)
        {
            return [.. _stderr.Where(line => line.Message == message)];
        }
    }

    /// <summary>The exit code, without waiting for the pipes (a successor may still hold them).</summary>
    public async Task<int> WaitForExitCodeAsync(TimeSpan timeout)
    {
        if (!await Progress.WaitUntilAsync(() => _process.HasExited, timeout))
        {
            KillHard();
            Assert.Fail($"meshedge (pid {Pid}) did not exit within {timeout.TotalSeconds:0.#}s and was killed\n{Describe()}");
        }

        return _process.ExitCode;
    }
}
