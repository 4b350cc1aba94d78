using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Standby;

/// <summary>
/// The AOT binary started inside a cgroup the test creates: a CPU quota sets the automatic worker
/// count, a memory limit the budget (a quarter of it). Where the machine cannot make the cgroup (not
/// root, no such controller), the test is skipped and says why; it never passes without checking.
/// </summary>
public sealed class CgroupLimitsTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_cpu_quota_sets_the_worker_count()
    {
        Skip.If(Environment.ProcessorCount < 2, "one core: a quota below it cannot show in the worker count");
        using var cgroup = TestCgroup.TryCreate("cpu", out var whyNot);
        Skip.If(cgroup is null, whyNot);
        if (cgroup.IsV2)
        {
            cgroup.Write("cpu.max", "50000 100000");
        }
        else
        {
            cgroup.Write("cpu.cfs_period_us", "100000");
            cgroup.Write("cpu.cfs_quota_us", "50000");
        }

        var stats = await StatsInAsync(cgroup);
        Assert.Equal(1, stats.GetProperty("workers").GetInt32());
    }

    [SkippableFact]
    public async Task A_memory_limit_sets_the_budget_to_a_quarter_of_it()
    {
        using var cgroup = TestCgroup.TryCreate("memory", out var whyNot);
        Skip.If(cgroup is null, whyNot);
        const long Limit = 256L * 1024 * 1024;
        cgroup.Write(cgroup.IsV2 ? "memory.max" : "memory.limit_in_bytes", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var memory = (await StatsInAsync(cgroup)).GetProperty("memory");
        Assert.Equal(Limit / 4, memory.GetProperty("budget_bytes").GetInt64());
        Assert.Contains("limit of 268435456 bytes", memory.GetProperty("budget_source").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> StatsInAsync(TestCgroup cgroup)
    {
        await using var backend = HttpBackend.Start();
        var toml = HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", backend.EndPoint))
            .Replace("workers = 1", "workers = 0", StringComparison.Ordinal);
        await using var proxy = await ProxyProcess.StartWrappedTomlAsync(HttpToml.WithAdmin(toml), output, cgroup.Wrapper);
        Assert.Contains($"{cgroup.Path.Replace("/sys/fs/cgroup", "", StringComparison.Ordinal).Split('/').Last()}",
            await File.ReadAllTextAsync($"/proc/{proxy.Pid}/cgroup"), StringComparison.Ordinal);
        Assert.Equal(200, (await HttpExchange.GetAsync(proxy.ListenerAddress(), "/")).Status);
        var stats = await proxy.AdminStatsAsync();
        output.WriteLine($"in {cgroup.Path}: workers {stats.GetProperty("workers")}, budget {stats.GetProperty("memory").GetProperty("budget_bytes")}");
        await proxy.StopCleanlyAsync();
        return stats;
    }
}
