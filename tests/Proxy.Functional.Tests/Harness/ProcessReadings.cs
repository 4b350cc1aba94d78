using System.Globalization;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Reads a process's resident set size and CPU time from /proc, the numbers tests bound.</summary>
internal static class ProcessReadings
{
    /// <summary>USER_HZ, which Linux fixes at 100 on every architecture meshedge builds for.</summary>
    private const int ClockTicksPerSecond = 100;

    /// <summary>User plus system CPU time of every thread of <paramref name="pid"/> so far.</summary>
    public static TimeSpan ReadCpuTime(int pid)
    {
        // Fields 14 and 15 (utime, stime, in clock ticks) follow the parenthesised command name.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }

    public static long ReadResidentSetBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                // "VmRSS:     12345 kB"
                var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line");
    }
}
