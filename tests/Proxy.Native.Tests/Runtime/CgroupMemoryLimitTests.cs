using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Tests.Runtime;

/// <summary>cgroup v2 memory.max and v1 memory.limit_in_bytes, over fake /proc and cgroup files.</summary>
public sealed class CgroupMemoryLimitTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("meshedge-cgroup-memory").FullName;

    [Fact]
    public void V2_takes_the_tightest_memory_max_on_the_path_to_the_root()
    {
        var self = WriteFile("self-cgroup", "0::/kubepods/pod1/sidecar\n");
        WriteLimit(_root, "kubepods", "memory.max", "max");
        WriteLimit(_root, "kubepods/pod1", "memory.max", "536870912");
        WriteLimit(_root, "kubepods/pod1/sidecar", "memory.max", "max");

        Assert.Equal(536_870_912, CgroupMemoryLimit.ReadV2(self, _root));
    }

    [Fact]
    public void V2_without_a_limit_or_files_has_none()
    {
        var self = WriteFile("self-cgroup", "0::/app\n");
        WriteLimit(_root, "app", "memory.max", "max");
        Assert.Null(CgroupMemoryLimit.ReadV2(self, _root));

        Assert.Null(CgroupMemoryLimit.ReadV2(WriteFile("v1-only", "9:memory:/app\n"), _root));
        Assert.Null(CgroupMemoryLimit.ReadV2(Path.Combine(_root, "absent"), _root));
    }

    [Fact]
    public void V1_on_a_host_takes_the_tightest_limit_under_the_memory_mount()
    {
        var mount = Path.Combine(_root, "memory");
        var self = WriteFile("self-cgroup", "4:cpu,cpuacct:/pod/app\n9:memory:/pod/app\n");
        var mountinfo = WriteFile("mountinfo",
            $"32 31 0:29 / {Path.Combine(_root, "cpu,cpuacct")} rw - cgroup cgroup rw,cpu,cpuacct\n" +
            $"35 31 0:32 / {mount} rw,nosuid shared:12 - cgroup cgroup rw,memory\n");
        WriteLimit(mount, string.Empty, "memory.limit_in_bytes", "9223372036854771712");
        WriteLimit(mount, "pod", "memory.limit_in_bytes", "1073741824");
        WriteLimit(mount, "pod/app", "memory.limit_in_bytes", "2147483648");

        Assert.Equal(1_073_741_824, CgroupMemoryLimit.ReadV1(self, mountinfo));
    }

    [Fact]
    public void V1_in_a_container_reads_the_mounts_root_as_our_cgroup()
    {
        var mount = Path.Combine(_root, "memory");
        var self = WriteFile("self-cgroup", "9:memory:/kubepods/pod1/c1\n");
        var mountinfo = WriteFile("mountinfo", $"40 20 0:35 /kubepods/pod1/c1 {mount} ro,nosuid - cgroup cgroup ro,memory\n");
        WriteLimit(mount, string.Empty, "memory.limit_in_bytes", "268435456");

        Assert.Equal(268_435_456, CgroupMemoryLimit.ReadV1(self, mountinfo));
    }

    [Fact]
    public void V1_unlimited_or_unmounted_has_none()
    {
        var mount = Path.Combine(_root, "memory");
        var self = WriteFile("self-cgroup", "9:memory:/\n");
        var mountinfo = WriteFile("mountinfo", $"35 31 0:32 / {mount} rw - cgroup cgroup rw,memory\n");
        WriteLimit(mount, string.Empty, "memory.limit_in_bytes", "9223372036854771712");
        Assert.Null(CgroupMemoryLimit.ReadV1(self, mountinfo));

        Assert.Null(CgroupMemoryLimit.ReadV1(self, WriteFile("no-memory-mount", $"20 19 0:20 / {_root} rw - tmpfs tmpfs rw\n")));
        Assert.Null(CgroupMemoryLimit.ReadV1(WriteFile("v2-only", "0::/\n"), mountinfo));
    }

    [Fact]
    public void The_budget_is_the_configured_size_else_a_quarter_of_the_limit_else_none()
    {
        Assert.Equal(new MemoryBudget(64 << 20, "runtime.memory_budget"), MemoryBudget.Resolve(64 << 20, (1L << 30, "cgroup v2 memory.max")));

        var derived = MemoryBudget.Resolve(null, (1L << 30, "cgroup v2 memory.max"));
        Assert.Equal(1L << 28, derived.Bytes);
        Assert.Equal("1/4 of the cgroup v2 memory.max limit of 1073741824 bytes", derived.Source);

        Assert.Null(MemoryBudget.Resolve(null, null).Bytes);
    }

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static void WriteLimit(string mount, string group, string file, string value)
    {
        var dir = Path.Combine(mount, group);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, file), value + "\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
