using System.Text;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// Where a cgroup v1 controller's hierarchy holds this process: the controller's mount is found in
/// /proc/self/mountinfo rather than assumed at /sys/fs/cgroup/CONTROLLER (distributions mount cpu as
/// "cpu,cpuacct" or "cpu" or elsewhere), and inside a container the mount's root is the container's
/// own cgroup while /proc/self/cgroup names it from the top of the hierarchy.
/// </summary>
internal static class CgroupV1Mount
{
    /// <summary>
    /// The mount point of <paramref name="controller"/>'s hierarchy and our cgroup's path under it,
    /// or null when the controller is not in /proc/self/cgroup or not mounted.
    /// </summary>
    public static (string Point, string Path)? Locate(string controller, string procSelfCgroup, string procSelfMountinfo)
    {
        if (!File.Exists(procSelfCgroup) || !File.Exists(procSelfMountinfo)
            || FindCgroup(controller, File.ReadLines(procSelfCgroup)) is not { } cgroup
            || FindMount(controller, File.ReadLines(procSelfMountinfo)) is not { } mount)
        {
            return null;
        }

        // What lies under the mount's root is the rest of our path; a cgroup outside it (another
        // namespace's view) leaves only the mount itself to read.
        var path = mount.Root == "/" ? cgroup
            : cgroup == mount.Root || cgroup.StartsWith(mount.Root + "/", StringComparison.Ordinal) ? cgroup[mount.Root.Length..]
            : string.Empty;
        return (mount.Point, path);
    }

    /// <summary>The cgroup path of the hierarchy holding the controller ("4:cpu,cpuacct:/path").</summary>
    private static string? FindCgroup(string controller, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3 && parts[1].Split(',').Contains(controller))
            {
                return parts[2];
            }
        }

        return null;
    }

    /// <summary>
    /// The mount of a "cgroup" file system with the controller's option: "ID PARENT MAJ:MIN ROOT POINT
    /// OPTIONS [OPTIONAL...] - cgroup SOURCE rw,cpu,cpuacct".
    /// </summary>
    private static (string Root, string Point)? FindMount(string controller, IEnumerable<string> lines)
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
            if (fields.Length >= 5 && tail.Length >= 3 && tail[0] == "cgroup" && tail[2].Split(',').Contains(controller))
            {
                return (Unescape(fields[3]), Unescape(fields[4]));
            }
        }

        return null;
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
