namespace MeshEdge.Native.Runtime;

/// <summary>
/// How many workers to start when the config says "auto": the CPU quota of our cgroup v2 (cpu.max,
/// the tightest along the path to the root), else of our cgroup v1 cpu controller
/// (<see cref="CgroupV1Quota"/>), else the cores we may run on. A sidecar must not start
/// more busy threads than the CPU it is allowed, or it fights the application beside it.
/// </summary>
internal static class WorkerCount
{
    public static int Resolve(int configured)
    {
        if (configured > 0)
        {
            return configured;
        }

        var cores = Environment.ProcessorCount;
        var quota = ReadCgroupQuota("/proc/self/cgroup", "/sys/fs/cgroup") ?? CgroupV1Quota.Read("/proc/self/cgroup", "/proc/self/mountinfo");
        return quota is { } cpus ? Math.Clamp((int)Math.Ceiling(cpus), 1, cores) : cores;
    }

    /// <summary>The smallest cpu.max quota (in CPUs) from our cgroup up to the root, or null.</summary>
    internal static double? ReadCgroupQuota(string procSelfCgroup, string cgroupRoot)
    {
        try
        {
            if (CgroupWalk.V2Path(procSelfCgroup) is not { } path)
            {
                return null;
            }

            return CgroupWalk.Tightest(cgroupRoot, path, directory => ParseCpuMax(Path.Combine(directory, "cpu.max")));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Parses "QUOTA PERIOD" (or "max PERIOD", meaning no limit) into CPUs.</summary>
    internal static double? ParseCpuMax(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var parts = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts[0] == "max")
        {
            return null;
        }

        return long.TryParse(parts[0], out var quota) && long.TryParse(parts[1], out var period) && period > 0
            ? (double)quota / period
            : null;
    }
}
