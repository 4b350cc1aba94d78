namespace MeshEdge.Native.Runtime;

/// <summary>
/// The walk both cgroup versions need: a limit may be set on our cgroup or on any parent up to the
/// hierarchy's root (a pod's limit above an unlimited container), and the tightest one binds.
/// </summary>
internal static class CgroupWalk
{
    /// <summary>
    /// The smallest value <paramref name="read"/> finds in the directory of <paramref name="path"/>
    /// under <paramref name="root"/> and in each parent up to <paramref name="root"/> itself, or null.
    /// </summary>
    public static double? Tightest(string root, string path, Func<string, double?> read)
    {
        double? tightest = null;
        path = path.TrimEnd('/');
        while (true)
        {
            if (read(Path.Combine(root, path.TrimStart('/'))) is { } value)
            {
                tightest = tightest is null ? value : Math.Min(tightest.Value, value);
            }

            if (path.Length == 0)
            {
                return tightest;
            }

            var cut = path.LastIndexOf('/');
            path = cut <= 0 ? string.Empty : path[..cut];
        }
    }

    /// <summary>Our cgroup v2 path: the one line "0::/path" of /proc/self/cgroup; null without one (v1 only).</summary>
    public static string? V2Path(string procSelfCgroup)
    {
        if (!File.Exists(procSelfCgroup))
        {
            return null;
        }

        var line = File.ReadLines(procSelfCgroup).FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal));
        return line?[3..];
    }
}
