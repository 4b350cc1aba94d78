using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Tests.Runtime;

public sealed class WorkerCountTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("meshedge-cgroup").FullName;

    [Fact]
    public void A_configured_count_wins()
    {
        Assert.Equal(3, WorkerCount.Resolve(3));
    }

    [Fact]
    public void The_tightest_quota_on_the_path_to_the_root_is_used()
    {
        var self = Write("0::/pod/app\n");
        WriteCpuMax("pod", "150000 100000");
        WriteCpuMax("pod/app", "max 100000");
        Assert.Equal(1.5, WorkerCount.ReadCgroupQuota(self, _root));
    }

    [Fact]
    public void No_limit_means_no_quota()
    {
        var self = Write("0::/\n");
        WriteCpuMax(string.Empty, "max 100000");
        Assert.Null(WorkerCount.ReadCgroupQuota(self, _root));
    }

    [Fact]
    public void Cgroup_v1_or_a_missing_file_means_no_quota()
    {
        Assert.Null(WorkerCount.ReadCgroupQuota(Path.Combine(_root, "absent"), _root));
        var v1 = Write("12:cpu,cpuacct:/foo\n");
        Assert.Null(WorkerCount.ReadCgroupQuota(v1, _root));
    }

    [Fact]
    public void Automatic_count_is_between_one_and_the_core_count()
    {
        Assert.InRange(WorkerCount.Resolve(0), 1, Environment.ProcessorCount);
    }

    private string Write(string content)
    {
        var path = Path.Combine(_root, "self-cgroup");
        File.WriteAllText(path, content);
        return path;
    }

    private void WriteCpuMax(string group, string content)
    {
        var dir = Path.Combine(_root, group);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "cpu.max"), content + "\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
