using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// runtime.priority = "low": every thread of the process runs at nice 10 and its oom_score_adj is
/// 500, read from the kernel (/proc/PID/task/*/stat, /proc/PID/oom_score_adj) after the proxy has
/// carried traffic and served the admin API, so the threads made along the way count too. The
/// default leaves both as the process inherited them, and a hot upgrade's successor applies what
/// the config says when it starts.
/// </summary>
public sealed class PriorityTests(ITestOutputHelper output)
{
    private const int LowNice = 10;
    private const int LowOomScoreAdj = 500;

    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ALowPriorityProxyRunsEveryThreadAtNiceTenAndOffersItselfToTheOomKiller()
    {
        AssertTheTestsRunAboveLowPriority();
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.Priority = "low";
        config.AdminAddress = "127.0.0.1:0";
        await using var proxy = await ProxyProcess.StartAsync(config, output);
        using var stats = await CarryTrafficAsync(proxy);

        AssertYields(proxy.Pid, config.Workers, proxy);
        var started = proxy.FindLog("meshedge started")!;
        Assert.Equal(("low", "10", "500"), (started.Get("priority"), started.Get("nice"), started.Get("oom_score_adj")));
        var root = stats.RootElement;
        Assert.Equal("low", root.GetProperty("priority").GetString());
        Assert.Equal(LowNice, root.GetProperty("nice").GetInt32());
        Assert.Equal(LowOomScoreAdj, root.GetProperty("oom_score_adj").GetInt32());
        Assert.DoesNotContain(proxy.StderrLines, line => line.Level == "warn");
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task TheDefaultLeavesNiceAndOomScoreAsInherited()
    {
        var nice = ThreadPriorities.ReadOwnNice();
        var oomScoreAdj = ThreadPriorities.ReadOomScoreAdj(Environment.ProcessId);
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.AdminAddress = "127.0.0.1:0";
        await using var proxy = await ProxyProcess.StartAsync(config, output);
        using var stats = await CarryTrafficAsync(proxy);

        var threads = ThreadPriorities.Read(proxy.Pid);
        Assert.True(threads.All(thread => thread.Nice == nice), $"started at nice {nice}, threads: {string.Join(", ", threads)}");
        Assert.Equal(oomScoreAdj, ThreadPriorities.ReadOomScoreAdj(proxy.Pid));
        Assert.Equal("normal", stats.RootElement.GetProperty("priority").GetString());
        Assert.Equal(nice, stats.RootElement.GetProperty("nice").GetInt32());
        await proxy.StopCleanlyAsync();
    }

    /// <summary>
    /// normal -> (config changed to low, SIGHUP) -> low -> (config back to normal, SIGHUP) -> normal.
    /// The first successor is forked from a process at the default priority, so its nice 10 and OOM
    /// score can only come from applying the config itself. The second shows what "normal" means
    /// after "low": it touches nothing, so it keeps what it inherited; going back needs a restart.
    /// </summary>
    [Fact]
    public async Task AHotUpgradesSuccessorAppliesThePriorityItsConfigSays()
    {
        AssertTheTestsRunAboveLowPriority();
        using var uds = new TempDirectory();
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.UdsDir = uds.Path;
        config.DrainTimeout = "5s";
        await using var first = await ProxyProcess.StartAsync(config, output);
        await using var processes = new MeshEdgeProcesses(first.ConfigPath);
        var nice = ThreadPriorities.ReadOwnNice();
        Assert.All(ThreadPriorities.Read(first.Pid), thread => Assert.Equal(nice, thread.Nice));

        config.Priority = "low";
        var low = await UpgradeAsync(first, config, first.Pid);
        AssertYields(low, config.Workers, first);
        Assert.Equal("low", StartedLine(first, low).Get("priority"));

        config.Priority = null;
        var normal = await UpgradeAsync(first, config, low);
        Assert.Equal("normal", StartedLine(first, normal).Get("priority"));
        AssertYields(normal, config.Workers, first);
        Assert.Empty(first.FindLogs("upgrade failed"));

        using (var client = await Loopback.ConnectAsync(first.ListenerAddress()))
        {
            await Loopback.AssertEchoesAsync(client, "after two upgrades");
        }

        Assert.Equal(0, Libc.Kill(normal, Libc.SigTerm));
        Assert.True(await processes.WaitForExitAsync(normal, Liveness), $"pid {normal} did not stop\n{first.Describe()}");
    }

    /// <summary>Writes <paramref name="config"/> over the running one's file, sends SIGHUP and returns the successor's pid.</summary>
    private static async Task<int> UpgradeAsync(ProxyProcess first, ProxyConfig config, int current)
    {
        await File.WriteAllTextAsync(first.ConfigPath, config.ToToml());
        Assert.Equal(0, Libc.Kill(current, Libc.SigHup));
        return await first.WaitForSuccessorAsync(current, Liveness);
    }

    private static LogLine StartedLine(ProxyProcess first, int pid) =>
        first.FindLogs("meshedge started").Single(line => line.Get("pid") == ProxyProcess.PidText(pid));

    /// <summary>Every thread at nice 10, the workers among them, and oom_score_adj 500.</summary>
    private static void AssertYields(int pid, int workers, ProxyProcess proxy)
    {
        var threads = ThreadPriorities.Read(pid);
        Assert.True(threads.Count(thread => thread.Name.StartsWith("meshedge-worker", StringComparison.Ordinal)) == workers,
            $"pid {pid} should have {workers} worker threads: {string.Join(", ", threads)}");
        var notLowered = threads.Where(thread => thread.Nice != LowNice).ToList();
        Assert.True(notLowered.Count == 0, $"pid {pid}: threads not at nice {LowNice}: {string.Join(", ", notLowered)} (all: {string.Join(", ", threads)})\n{proxy.Describe()}");
        Assert.Equal(LowOomScoreAdj, ThreadPriorities.ReadOomScoreAdj(pid));
    }

    /// <summary>
    /// A proxy started from a test already at nice 10 or oom_score_adj 500 would pass whether it
    /// applied anything or not: such a run says so instead of passing.
    /// </summary>
    private static void AssertTheTestsRunAboveLowPriority()
    {
        var nice = ThreadPriorities.ReadOwnNice();
        var oomScoreAdj = ThreadPriorities.ReadOomScoreAdj(Environment.ProcessId);
        Assert.True(nice < LowNice && oomScoreAdj < LowOomScoreAdj,
            $"the tests run at nice {nice} and oom_score_adj {oomScoreAdj}: below nice {LowNice} and oom_score_adj {LowOomScoreAdj} are needed to see the proxy lower itself");
    }

    /// <summary>Echo round trips and an admin request, so the threads made along the way exist; returns /stats.</summary>
    private static async Task<JsonDocument> CarryTrafficAsync(ProxyProcess proxy)
    {
        for (var i = 0; i < 4; i++)
        {
            using var client = await Loopback.ConnectAsync(proxy.ListenerAddress());
            await Loopback.AssertEchoesAsync(client, $"round trip {i}");
        }

        return JsonDocument.Parse(await proxy.AdminGetAsync("/stats"));
    }

}
