using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Tests.Runtime;

/// <summary>cgroup v1's cpu.cfs_quota_us / cpu.cfs_period_us, over fake /proc and cgroup files.</summary>
public sealed class CgroupV1QuotaTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("meshedge-cgroup-v1").FullName;

    [Fact]
    public void On_a_host_the_tightest_quota_on_the_path_to_the_mounts_root_is_used()
    {
        var mount = Path.Combine(_root, "cpu,cpuacct");
        var self = WriteSelf("12:memory:/pod/app\n4:cpu,cpuacct:/pod/app\n1:name=systemd:/pod/app\n");
        var mountinfo = WriteMountinfo($"32 31 0:29 / {mount} rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct\n");
        WriteQuota(mount, "pod", 150_000, 100_000);
        WriteQuota(mount, "pod/app", -1, 100_000);

        Assert.Equal(1.5, CgroupV1Quota.Read(self, mountinfo));
    }

    [Fact]
    public void In_a_container_the_mounts_root_is_our_own_cgroup()
    {
        // Docker and Kubernetes mount the container's cgroup as the root of /sys/fs/cgroup/cpu, while
        // /proc/self/cgroup still names it from the top of the hierarchy.
        var mount = Path.Combine(_root, "cpu");
        var self = WriteSelf("3:cpu,cpuacct:/kubepods/pod1/c1\n");
        var mountinfo = WriteMountinfo(
            $"20 19 0:20 / {_root} rw - tmpfs tmpfs rw\n" +
            $"21 20 0:21 /kubepods/pod1/c1 {mount} ro,nosuid - cgroup cgroup ro,cpuacct,cpu\n");
        WriteQuota(mount, string.Empty, 50_000, 100_000);

        Assert.Equal(0.5, CgroupV1Quota.Read(self, mountinfo));
    }

    [Fact]
    public void A_hybrid_host_with_an_empty_v2_mount_reads_the_v1_controller()
    {
        var mount = Path.Combine(_root, "cpu");
        var self = WriteSelf("0::/\n2:cpuacct:/\n1:cpu:/batch\n");
        var mountinfo = WriteMountinfo(
            $"41 31 0:38 / {Path.Combine(_root, "unified")} rw,relatime - cgroup2 cgroup2 rw\n" +
            $"33 31 0:30 / {Path.Combine(_root, "cpuacct")} rw,relatime - cgroup cgroup rw,cpuacct\n" +
            $"32 31 0:29 / {mount} rw,relatime - cgroup cgroup rw,cpu\n");
        WriteQuota(mount, "batch", 300_000, 100_000);

        Assert.Null(WorkerCount.ReadCgroupQuota(self, Path.Combine(_root, "unified")));
        Assert.Equal(3.0, CgroupV1Quota.Read(self, mountinfo));
    }

    [Fact]
    public void A_mount_point_with_a_space_is_unescaped()
    {
        var mount = Path.Combine(_root, "cg roups", "cpu");
        var self = WriteSelf("4:cpu:/\n");
        var mountinfo = WriteMountinfo($"32 31 0:29 / {mount.Replace(" ", "\\040", StringComparison.Ordinal)} rw - cgroup cgroup rw,cpu\n");
        WriteQuota(mount, string.Empty, 200_000, 100_000);

        Assert.Equal(2.0, CgroupV1Quota.Read(self, mountinfo));
    }

    [Fact]
    public void No_limit_no_controller_or_no_files_means_no_quota()
    {
        var mount = Path.Combine(_root, "cpu");
        var mountinfo = WriteMountinfo($"32 31 0:29 / {mount} rw - cgroup cgroup rw,cpu\n");
        WriteQuota(mount, string.Empty, -1, 100_000);
        Assert.Null(CgroupV1Quota.Read(WriteSelf("4:cpu:/\n"), mountinfo));

        // cgroup v2 only: no line names the cpu controller.
        Assert.Null(CgroupV1Quota.Read(WriteSelf("0::/\n"), mountinfo));

        // The controller is named but not mounted (or /proc is not there).
        Assert.Null(CgroupV1Quota.Read(WriteSelf("4:cpu:/\n"), WriteMountinfo($"20 19 0:20 / {_root} rw - tmpfs tmpfs rw\n")));
        Assert.Null(CgroupV1Quota.Read(Path.Combine(_root, "absent"), mountinfo));
    }

    private string WriteSelf(string content)
    {
        var path = Path.Combine(_root, "self-cgroup");
        File.WriteAllText(path, content);
        return path;
    }

    private string WriteMountinfo(string content)
    {
        var path = Path.Combine(_root, "self-mountinfo");
        File.WriteAllText(path, content);
        return path;
    }

    private static void WriteQuota(string mount, string group, long quota, long period)
    {
        var dir = Path.Combine(mount, group);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "cpu.cfs_quota_us"), $"{quota}\n");
        File.WriteAllText(Path.Combine(dir, "cpu.cfs_period_us"), $"{period}\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
