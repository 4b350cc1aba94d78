using System.Globalization;
using System.Text;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// The CPU quota of a cgroup v1 hierarchy (cpu.cfs_quota_us / cpu.cfs_period_us), for hosts and
/// container runtimes still on v1 or on the hybrid layout (v1 controllers beside an empty v2 mount),
/// where cpu.max does not exist. The cpu controller's mount is found in /proc/self/mountinfo rather
/// than assumed at /sys/fs/cgroup/cpu: distributions mount it as "cpu,cpuacct" or "cpu" or
/// elsewhere, and inside a container the mount's root is the container's own cgroup. The .NET
/// runtime's ProcessorCount already honours a quota on our own cgroup; the walk up to the mount's
/// root also finds one set on a parent (a pod's limit above an unlimited container), which it misses.
/// </summary>
internal static class CgroupV1Quota
{
    /// <summary>The smallest quota (in CPUs) from our v1 cpu cgroup up to the mount's root, or null.</summary>
    public static double? Read(string procSelfCgroup, string procSelfMountinfo)
    {
        try
        {
            if (!File.Exists(procSelfCgroup) || !File.Exists(procSelfMountinfo)
                || FindCpuCgroup(File.ReadLines(procSelfCgroup)) is not { } cgroup
                || FindCpuMount(File.ReadLines(procSelfMountinfo)) is not { } mount)
            {
                return null;
            }

            // Inside a container the mount's root is the container's cgroup, and /proc/self/cgroup names
            // the same path from the hierarchy's top: what lies under the mount is the rest of it.
            var path = mount.Root == "/" ? cgroup
                : cgroup == mount.Root || cgroup.StartsWith(mount.Root + "/", StringComparison.Ordinal) ? cgroup[mount.Root.Length..]
                : string.Empty;
            return CgroupWalk.Tightest(mount.Point, path, ParseQuota);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The cgroup path of the hierarchy holding the "cpu" controller ("4:cpu,cpuacct:/path").</summary>
    private static string? FindCpuCgroup(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3 && parts[1].Split(',').Contains("cpu"))
            {
                return parts[2];
            }
        }

        return null;
    }

    /// <summary>
    /// The mount of a "cgroup" file system with the "cpu" option: "ID PARENT MAJ:MIN ROOT POINT OPTIONS
    /// [OPTIONAL...] - cgroup SOURCE rw,cpu,cpuacct".
    /// </summary>
    private static (string Root, string Point)? FindCpuMount(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var fields = line[..separator].Split(' ');
            var tail = line[(separator + 3)..].Split(' ');
            if (fields.Length >= 5 && tail.Length >= 3 && tail[0] == "cgroup" && tail[2].Split(',').Contains("cpu"))
            {
                return (Unescape(fields[3]), Unescape(fields[4]));
            }
        }

        return null;
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

    /// <summary>mountinfo writes a space, tab, newline or backslash in a path as an octal escape ("\040").</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\'))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
