using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// Hot upgrade by SIGHUP while clients keep connecting: the listening sockets move to each successor,
/// so no connect is refused or reset and every byte comes back. The long-lived connections stay in the
/// first process (TCP connections do not move) and keep echoing through every later upgrade; each old
/// process drains and exits 0, the first one once those connections close.
/// </summary>
public sealed class UpgradeUnderLoadTests(ITestOutputHelper output)
{
    private const int Upgrades = 5;
    private const int LongConnections = 3;

    /// <summary>Round trips each long-lived connection must make after a hand-off (a few: the point is "not stalled").</summary>
    private const int LongRoundTripsPerUpgrade = 3;

    /// <summary>Short connections that must complete after the old process stopped accepting: the successor serves them.</summary>
    private const int ShortPerUpgrade = 20;

    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(30);

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
        var listener = first.ListenerAddress();
        var load = new EchoLoad(listener, shortClients: 2, longConnections: LongConnections);
        await load.StartAsync();

        var pids = new List<int> { first.Pid };
        for (var i = 1; i <= Upgrades; i++)
        {
            var current = pids[^1];
            Assert.Equal(0, Libc.Kill(current, Libc.SigHup));
            pids.Add(await first.WaitForSuccessorAsync(current, Liveness));

            // The hand-off is over once the old process has closed its listening sockets (its workers
            // drain from then on): whatever connects later is the successor's, and the long-lived
            // connections, still in the first process, must keep echoing through it.
            Assert.True(await ListeningSockets.WaitUntilReleasedAsync(current, listener.Port, Liveness), $"upgrade {i}: pid {current} still holds its listening sockets\n{first.Describe()}");
            var longAtHandoff = load.LongRoundTrips;
            var shortAtHandoff = load.ShortCompleted;
            var progressed = await Progress.WaitUntilAsync(
                () => load.LongRoundTrips.Zip(longAtHandoff).All(c => c.First >= c.Second + LongRoundTripsPerUpgrade) && load.ShortCompleted >= shortAtHandoff + ShortPerUpgrade,
                Liveness);
            Assert.True(load.Failures.Count == 0, $"upgrade {i}: {load.Failures.Count} failed connections:\n{string.Join("\n", load.Failures.Take(20))}\n{first.Describe()}");
            Assert.True(progressed,
                $"upgrade {i}: no progress after the hand-off: long-lived round trips [{string.Join(", ", longAtHandoff)}] -> [{string.Join(", ", load.LongRoundTrips)}], " +
                $"short connections {shortAtHandoff} -> {load.ShortCompleted}\n{first.Describe()}");
            output.WriteLine($"upgrade {i}: {current} -> {pids[^1]}; long-lived round trips at the hand-off [{string.Join(", ", longAtHandoff)}], short connections {shortAtHandoff}");

            // The long-lived connections keep the first process alive; each later old process had only
            // short connections, so it drains them and exits on its own (not just at the end of the test).
            Assert.True(MeshEdgeProcesses.IsAlive(pids[0]), $"upgrade {i}: the first process, which serves the long-lived connections, is gone\n{first.Describe()}");
            if (i >= 2)
            {
                await first.AssertStoppedAsync(processes, pids[^2], Liveness);
            }
        }

        await load.StopAsync();
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} failed connections:\n{string.Join("\n", load.Failures.Take(20))}\n{first.Describe()}");

        // The first process exits once the long-lived connections have closed (well before its drain deadline).
        await first.AssertStoppedAsync(processes, pids[0], Liveness);
        Assert.Equal(0, await first.WaitForExitCodeAsync(Liveness));
        Assert.Equal([pids[^1]], processes.Running());
        Assert.Empty(first.FindLogs("upgrade failed"));
        Assert.Empty(first.FindLogs("drain deadline passed, closing connections"));
        Assert.Empty(first.FindLogs("buffer pool leak"));
        Assert.Empty(first.FindLogs("buffer pool double return"));
        Assert.Equal(Upgrades, first.FindLogs("upgrade: handed over").Count);

        // The last successor serves and stops cleanly like any other process.
        using (var client = await Loopback.ConnectAsync(listener))
        {
            await Loopback.AssertEchoesAsync(client, "after five upgrades");
        }

        Assert.Equal(0, Libc.Kill(pids[^1], Libc.SigTerm));
        await first.AssertStoppedAsync(processes, pids[^1], Liveness);
    }
}
