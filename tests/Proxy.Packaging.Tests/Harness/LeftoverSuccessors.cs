using System.Diagnostics;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// Stops a SIGHUP successor a test left running (it failed before stopping it). The pid comes from
/// the successor's own "upgrade complete" line, and is signalled only while /proc shows the process
/// ours started: meshedge with the launch's own arguments plus --upgrade, so a pid the kernel has
/// since given to another process is left alone.
/// </summary>
internal static class LeftoverSuccessors
{
    private static readonly TimeSpan DrainPatience = TimeSpan.FromSeconds(10);

    /// <summary>SIGTERM, then SIGKILL if it is still there after <see cref="DrainPatience"/>; says what happened, null if it had gone.</summary>
    /// <param name="launch">The launcher and its arguments; the successor's command line is their tail plus --upgrade.</param>
    public static string? Stop(int pid, IReadOnlyList<string> launch)
    {
        if (!IsSuccessorOf(pid, launch))
        {
            return null;
        }

        Libc.Kill(pid, Libc.SigTerm);
        var clock = Stopwatch.StartNew();
        while (IsSuccessorOf(pid, launch))
        {
            if (clock.Elapsed > DrainPatience)
            {
                Libc.Kill(pid, Libc.SigKill);
                return $"killed (SIGKILL) after {DrainPatience.TotalSeconds:0}s of SIGTERM";
            }

            Thread.Sleep(20);
        }

        return "stopped (SIGTERM)";
    }

    /// <summary>Alive (not a zombie) with the launch's meshedge command line plus --upgrade.</summary>
    private static bool IsSuccessorOf(int pid, IReadOnlyList<string> launch)
    {
        string[] arguments;
        string stat;
        try
        {
            arguments = File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Split('\0');
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }

        var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
        var own = arguments.Where(argument => argument != "--upgrade").ToArray();
        return state is not ("Z" or "X")
            && arguments.Contains("--upgrade")
            && own.Length > 0
            && own.Length <= launch.Count
            && own.SequenceEqual(launch.Skip(launch.Count - own.Length));
    }
}
