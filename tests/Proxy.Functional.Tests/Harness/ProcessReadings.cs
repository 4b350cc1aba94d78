using System.Globalization;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Reads a process's resident set size, CPU time and context switches from /proc, the numbers tests bound.</summary>
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

    /// <summary>
    /// Voluntary context switches (times the thread blocked: slept in epoll_wait, waited for a lock)
    /// summed over the threads of <paramref name="pid"/> whose name starts with <paramref name="threadNamePrefix"/>.
    /// </summary>
    public static long ReadVoluntarySwitches(int pid, string threadNamePrefix)
    {
        long switches = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(threadNamePrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        switches += long.Parse(line["voluntary_ctxt_switches:".Length..].Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }

        return switches;
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
