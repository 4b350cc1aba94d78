using System.Globalization;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// The meshedge processes serving one config file, found through /proc: successors of a SIGHUP
/// upgrade are not children of the test, so this is how a test sees them and stops them. Disposing
/// stops whatever is still running (SIGTERM, then SIGKILL), so a failed test leaves nothing behind.
/// </summary>
internal sealed class MeshEdgeProcesses(string configPath) : IAsyncDisposable
{
    /// <summary>Live (not zombie) processes whose command line names <c>configPath</c>.</summary>
    public IReadOnlyList<int> Running()
    {
        var pids = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                if (arguments.Length > 0 && arguments[0].EndsWith("meshedge", StringComparison.Ordinal) && arguments.Contains(configPath) && IsAlive(pid))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // It exited while we looked.
            }
        }

        return pids;
    }

    /// <summary>True while the process exists and is not a zombie (an orphan's exit may wait for a reaper).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    public Task<bool> WaitForExitAsync(int pid, TimeSpan timeout) => Progress.WaitUntilAsync(() => !IsAlive(pid), timeout);

    public async ValueTask DisposeAsync()
    {
        foreach (var pid in Running())
        {
            Libc.Kill(pid, Libc.SigTerm);
            if (!await WaitForExitAsync(pid, TimeSpan.FromSeconds(10)))
            {
                Libc.Kill(pid, 9);
            }
        }
    }
}
