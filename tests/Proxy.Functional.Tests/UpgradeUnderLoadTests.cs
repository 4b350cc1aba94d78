using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// Hot upgrade by SIGHUP while clients keep connecting: the listening sockets move to each successor,
/// so no connect is refused or reset and every byte comes back; each old process drains and exits 0.
/// </summary>
public sealed class UpgradeUnderLoadTests(ITestOutputHelper output)
{
    private const int Upgrades = 5;

    [Fact]
    public async Task FiveSighupUpgradesInARowLoseNoConnection()
    {
        using var uds = new TempDirectory();
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.DrainTimeout = "60s"; // long-lived connections close when the test says so, not by the deadline
        config.UdsDir = uds.Path;
        await using var first = await ProxyProcess.StartAsync(config, output);
        await using var processes = new MeshEdgeProcesses(first.ConfigPath);
        var load = new EchoLoad(first.ListenerAddress(), shortClients: 2, longConnections: 3);
        await load.StartAsync();

        var pids = new List<int> { first.Pid };
        for (var i = 0; i < Upgrades; i++)
        {
            var current = pids[^1];
            var servedBefore = load.ShortCompleted;
            Assert.Equal(0, Libc.Kill(current, Libc.SigHup));
            var complete = await first.WaitForAnyLogAsync("upgrade complete", TimeSpan.FromSeconds(30),
                line => line.Get("predecessor_pid") == current.ToString(System.Globalization.CultureInfo.InvariantCulture));
            pids.Add((int)complete.RequireLong("pid"));

            // Let the new process carry traffic before the next upgrade.
            Assert.True(await Progress.WaitUntilAsync(() => load.ShortCompleted >= servedBefore + 50, TimeSpan.FromSeconds(30)),
                $"no short connection completed after upgrade {i + 1}\n{first.Describe()}");
        }

        await load.StopAsync();
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} failed connections:\n{string.Join("\n", load.Failures.Take(20))}\n{first.Describe()}");
        // Each upgrade waited for 50 more short connections, so exactly Upgrades * 50 is a full run
        // (it happens when the upgrades are quick and the stop comes right after the last 50).
        Assert.True(load.LongRoundTrips > 0 && load.ShortCompleted >= Upgrades * 50, $"too little traffic: {load.ShortCompleted} short, {load.LongRoundTrips} long round trips");

        // Every old process drains (the first one once its long-lived connections have closed) and exits 0.
        foreach (var pid in pids.Take(Upgrades))
        {
            var stopped = await first.WaitForAnyLogAsync("stopped", TimeSpan.FromSeconds(30), line => line.Get("pid") == pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("0", stopped.Get("exit_code"));
            Assert.True(await processes.WaitForExitAsync(pid, TimeSpan.FromSeconds(10)), $"pid {pid} logged stopped but is still running");
        }

        Assert.Equal(0, await first.WaitForExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([pids[^1]], processes.Running());
        Assert.Empty(first.FindLogs("upgrade failed"));
        Assert.Empty(first.FindLogs("buffer pool leak"));
        Assert.Empty(first.FindLogs("buffer pool double return"));
        Assert.Equal(Upgrades, first.FindLogs("upgrade: handed over").Count);

        // The last successor serves and stops cleanly like any other process.
        using (var client = await Loopback.ConnectAsync(first.ListenerAddress()))
        {
            await Loopback.AssertEchoesAsync(client, "after five upgrades");
        }

        Assert.Equal(0, Libc.Kill(pids[^1], Libc.SigTerm));
        var last = await first.WaitForAnyLogAsync("stopped", TimeSpan.FromSeconds(30), line => line.Get("pid") == pids[^1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0", last.Get("exit_code"));
        Assert.True(await processes.WaitForExitAsync(pids[^1], TimeSpan.FromSeconds(10)));
    }
}
