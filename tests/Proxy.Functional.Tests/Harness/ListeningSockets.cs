using System.Globalization;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// The listening TCP sockets on a port (from /proc/net/tcp), and whether a process still holds one
/// (from /proc/pid/fd). A meshedge worker closes its own listening sockets first thing when it starts
/// draining, in the same step that tells its sessions to drain; so once a process that handed its
/// sockets over holds none of them, every one of its workers has begun its drain.
/// </summary>
internal static class ListeningSockets
{
    private const string ListenState = "0A";

    /// <summary>The inodes of the sockets listening on <paramref name="port"/> (IPv4 and IPv6).</summary>
    public static IReadOnlySet<string> OnPort(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1];
                var localPort = int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (localPort == port && fields[3] == ListenState)
                {
                    inodes.Add(fields[9]);
                }
            }
        }

        return inodes;
    }

    /// <summary>True while <paramref name="pid"/> has a descriptor open on one of <paramref name="inodes"/>.</summary>
    public static bool HeldBy(int pid, IReadOnlySet<string> inodes)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
            {
                var target = ReadLink(fd);
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]))
                {
                    return true;
                }
            }
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            // The process is gone: it holds nothing.
        }

        return false;
    }

    /// <summary>
    /// Waits until <paramref name="pid"/> has closed every socket listening on <paramref name="port"/>
    /// (its successor holds them): from then on that process accepts and reads nothing new.
    /// </summary>
    public static async Task<bool> WaitUntilReleasedAsync(int pid, int port, TimeSpan timeout)
    {
        var inodes = OnPort(port);
        Assert.True(inodes.Count > 0, $"nothing listens on port {port}");
        return await Progress.WaitUntilAsync(() => !HeldBy(pid, inodes), timeout);
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is FileNotFoundException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
