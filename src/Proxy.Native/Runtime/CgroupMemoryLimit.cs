using System.Globalization;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// The memory limit of our cgroup: the tightest v2 memory.max from our cgroup up to the root, else
/// the tightest v1 memory.limit_in_bytes under the memory controller's mount. As with the CPU quota,
/// a limit on a parent (a pod's, above an unlimited container) binds as much as one on our own.
/// </summary>
internal static class CgroupMemoryLimit
{
    /// <summary>v1 writes "no limit" as the largest page-aligned counter (9223372036854771712 on x86-64).</summary>
    private const long V1Unlimited = 1L << 62;

    /// <summary>The limit in bytes and the file it came from ("cgroup v2 memory.max"), or null.</summary>
    public static (long Bytes, string Source)? Read() =>
        ReadV2("/proc/self/cgroup", "/sys/fs/cgroup") is { } v2 ? (v2, "cgroup v2 memory.max")
        : ReadV1("/proc/self/cgroup", "/proc/self/mountinfo") is { } v1 ? (v1, "cgroup v1 memory.limit_in_bytes")
        : null;

    /// <summary>The smallest memory.max from our v2 cgroup up to the root, or null ("max": no limit).</summary>
    internal static long? ReadV2(string procSelfCgroup, string cgroupRoot) =>
        Guard(() => CgroupWalk.V2Path(procSelfCgroup) is { } path
            ? CgroupWalk.Tightest(cgroupRoot, path, directory => ParseBytes(Path.Combine(directory, "memory.max"), long.MaxValue))
            : null);

    /// <summary>The smallest memory.limit_in_bytes from our v1 memory cgroup up to the mount's root, or null.</summary>
    internal static long? ReadV1(string procSelfCgroup, string procSelfMountinfo) =>
        Guard(() => CgroupV1Mount.Locate("memory", procSelfCgroup, procSelfMountinfo) is { } mount
            ? CgroupWalk.Tightest(mount.Point, mount.Path, directory => ParseBytes(Path.Combine(directory, "memory.limit_in_bytes"), V1Unlimited))
            : null);

    /// <summary>A byte count below <paramref name="unlimited"/>; "max", a missing file or anything else is null.</summary>
    private static double? ParseBytes(string file, long unlimited) =>
        File.Exists(file)
            && long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            && bytes < unlimited
            ? bytes
            : null;

    private static long? Guard(Func<double?> read)
    {
        try
        {
            return read() is { } bytes ? (long)bytes : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
