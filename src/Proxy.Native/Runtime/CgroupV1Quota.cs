using System.Globalization;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// The CPU quota of a cgroup v1 hierarchy (cpu.cfs_quota_us / cpu.cfs_period_us), for hosts and
/// container runtimes still on v1 or on the hybrid layout (v1 controllers beside an empty v2 mount),
/// where cpu.max does not exist. The .NET runtime's ProcessorCount already honours a quota on our
/// own cgroup; the walk up to the mount's root also finds one set on a parent (a pod's limit above
/// an unlimited container), which it misses.
/// </summary>
internal static class CgroupV1Quota
{
    /// <summary>The smallest quota (in CPUs) from our v1 cpu cgroup up to the mount's root, or null.</summary>
    public static double? Read(string procSelfCgroup, string procSelfMountinfo)
    {
        try
        {
            return CgroupV1Mount.Locate("cpu", procSelfCgroup, procSelfMountinfo) is { } mount
                ? CgroupWalk.Tightest(mount.Point, mount.Path, ParseQuota)
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>quota / period in CPUs; a quota of -1 (no limit), or a missing file, is null.</summary>
    internal static double? ParseQuota(string directory)
    {
        var quotaFile = Path.Combine(directory, "cpu.cfs_quota_us");
        var periodFile = Path.Combine(directory, "cpu.cfs_period_us");
        if (!File.Exists(quotaFile) || !File.Exists(periodFile))
        {
            return null;
        }

        return long.TryParse(File.ReadAllText(quotaFile).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var quota) && quota > 0
            && long.TryParse(File.ReadAllText(periodFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var period) && period > 0
            ? (double)quota / period
            : null;
    }
}
