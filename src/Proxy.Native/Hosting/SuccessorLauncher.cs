using System.Diagnostics;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Starts the successor for a SIGHUP upgrade: the binary now at this process's path (a package
/// upgrade replaces the file, and /proc/self/exe then reads "PATH (deleted)"), with the same
/// arguments plus --upgrade. It inherits stdout and stderr, so its log lines go where ours go.
/// </summary>
internal static class SuccessorLauncher
{
    /// <summary>Tells a successor where the process that started it listens (and that it has one).</summary>
    public const string SocketVariable = "MESHEDGE_UPGRADE_SOCKET";

    private const string DeletedSuffix = " (deleted)";

    public static Process Start(string[] arguments, string handoffSocketPath)
    {
        var startInfo = new ProcessStartInfo(ExecutablePath()) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (!arguments.Contains("--upgrade"))
        {
            startInfo.ArgumentList.Add("--upgrade");
        }

        startInfo.Environment[SocketVariable] = handoffSocketPath;
        return Process.Start(startInfo) ?? throw new InvalidOperationException("the successor process did not start");
    }

    private static string ExecutablePath()
    {
        string? path;
        try
        {
            path = new FileInfo("/proc/self/exe").LinkTarget;
        }
        catch (IOException)
        {
            path = null;
        }

        path ??= Environment.ProcessPath ?? throw new InvalidOperationException("the path of the running binary is unknown");
        return path.EndsWith(DeletedSuffix, StringComparison.Ordinal) ? path[..^DeletedSuffix.Length] : path;
    }
}
