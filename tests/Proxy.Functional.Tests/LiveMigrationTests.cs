using System.Globalization;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Bolt;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// Issue 7's acceptance test: HTTP/1.1 keep-alive load and Bolt load from the real sofa-rpc-node
/// client through the AOT binary while it is upgraded by SIGHUP again and again. HTTP connections
/// drain (connection: close) and clients reconnect to the successor; Bolt connections move to the
/// successor alive, so the client never reconnects. No request may fail either way.
/// </summary>
public sealed class LiveMigrationTests(ITestOutputHelper output)
{
    private const int Upgrades = 5;
    private const int BoltConnections = 4;
    private const string Echo = "com.meshedge.Echo:1.0";

    private const string HttpRoutes = """
        [[listeners.http.virtual_hosts]]
        name = "all"
        domains = ["*"]

        [[listeners.http.virtual_hosts.routes]]
        match = { prefix = "/" }
        cluster = "app"
        """;

    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FiveUpgradesUnderHttpAndBoltLoadLoseNothingAndKeepBoltConnections()
    {
        using var uds = new TempDirectory();
        await using var http = HttpBackend.Start();
        await using var bolt = await BoltServer.StartQuietAsync("a", Echo);
        await using var first = await ProxyProcess.StartAsync(Config(uds, http, bolt), output);
        await using var processes = new MeshEdgeProcesses(first.ConfigPath);
        var httpLoad = new HttpKeepAliveLoad(first.ListenerAddress("web"), connections: 4, pace: TimeSpan.FromMilliseconds(5));
        httpLoad.Start();
        await using var boltLoad = await BoltLoad.StartAsync(first.ListenerAddress("inbound"), Echo, BoltConnections, inFlight: 16);
        await WaitForTrafficAsync(httpLoad, boltLoad, first, "before the first upgrade");

        var pids = new List<int> { first.Pid };
        for (var i = 0; i < Upgrades; i++)
        {
            var current = pids[^1];
            Assert.Equal(0, Libc.Kill(current, Libc.SigHup));
            var complete = await first.WaitForAnyLogAsync("upgrade complete", Liveness, line => line.Get("predecessor_pid") == Text(current));
            var successor = (int)complete.RequireLong("pid");
            pids.Add(successor);

            // The old process moves every Bolt connection, and the successor adopts them all.
            var migrated = await first.WaitForAnyLogAsync("upgrade: connections migrated", Liveness, line => line.Get("pid") == Text(current));
            var adopted = await first.WaitForAnyLogAsync("upgrade: connections adopted", Liveness, line => line.Get("pid") == Text(successor));
            Assert.True(migrated.RequireLong("migrated") == BoltConnections && migrated.RequireLong("failed") == 0, $"upgrade {i + 1}: {migrated}\n{first.Describe()}");
            Assert.Equal(BoltConnections, adopted.RequireLong("adopted"));
            await WaitForTrafficAsync(httpLoad, boltLoad, first, $"after upgrade {i + 1}");
        }

        await httpLoad.StopAsync();
        var boltResult = await boltLoad.StopAsync();
        output.WriteLine($"HTTP: {httpLoad.Completed} requests, {httpLoad.Failures.Count} failed, {httpLoad.ConnectionsOpened} connections opened, " +
            $"{httpLoad.ClosedByServer} closed by the server with connection: close, {httpLoad.RetriedAfterIdleClose} retried after an idle close");
        output.WriteLine($"Bolt: {boltResult.Ok} calls ok, {boltResult.Failed} failed ({boltResult.Mismatched} mismatched), " +
            $"{boltResult.Connects} connects, {boltResult.Closes} closes, ports before [{string.Join(", ", boltLoad.InitialPorts)}] after [{string.Join(", ", boltResult.Ports)}]");
        WritePhaseTimings(first, pids);

        Assert.True(httpLoad.Failures.Count == 0, $"{httpLoad.Failures.Count} failed HTTP requests:\n{string.Join("\n", httpLoad.Failures.Take(20))}\n{first.Describe()}");
        Assert.True(httpLoad.RetriedAfterIdleClose == 0, $"{httpLoad.RetriedAfterIdleClose} HTTP requests met a keep-alive connection closed under them (reset or empty reply)");
        Assert.True(boltResult.Failed == 0, $"{boltResult.Failed} failed RPC calls:\n{string.Join("\n", boltResult.Errors)}\n{first.Describe()}");
        Assert.True(boltResult.Connects == BoltConnections && boltResult.Closes == 0, $"the Bolt client reconnected: {boltResult.Connects} connects, {boltResult.Closes} closes");
        Assert.Equal(boltLoad.InitialPorts, boltResult.Ports);

        // Every old process drains and exits 0; the last one serves alone.
        foreach (var pid in pids.Take(Upgrades))
        {
            var stopped = await first.WaitForAnyLogAsync("stopped", Liveness, line => line.Get("pid") == Text(pid));
            Assert.Equal("0", stopped.Get("exit_code"));
            Assert.True(await processes.WaitForExitAsync(pid, TimeSpan.FromSeconds(10)), $"pid {pid} logged stopped but is still running");
        }

        Assert.Equal(0, await first.WaitForExitCodeAsync(Liveness));
        Assert.Equal([pids[^1]], processes.Running());
        Assert.Empty(first.FindLogs("upgrade failed"));
        Assert.Empty(first.FindLogs("buffer pool leak"));
        Assert.Empty(first.FindLogs("buffer pool double return"));

        Assert.Equal(0, Libc.Kill(pids[^1], Libc.SigTerm));
        var last = await first.WaitForAnyLogAsync("stopped", Liveness, line => line.Get("pid") == Text(pids[^1]));
        Assert.Equal("0", last.Get("exit_code"));
        Assert.True(await processes.WaitForExitAsync(pids[^1], TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task AnUpgradeToABrokenConfigKeepsTheOldProcessServingUnderLoad()
    {
        using var uds = new TempDirectory();
        await using var http = HttpBackend.Start();
        await using var bolt = await BoltServer.StartQuietAsync("a", Echo);
        await using var proxy = await ProxyProcess.StartAsync(Config(uds, http, bolt), output);
        await using var processes = new MeshEdgeProcesses(proxy.ConfigPath);
        var httpLoad = new HttpKeepAliveLoad(proxy.ListenerAddress("web"), connections: 4, pace: TimeSpan.FromMilliseconds(5));
        httpLoad.Start();
        await using var boltLoad = await BoltLoad.StartAsync(proxy.ListenerAddress("inbound"), Echo, BoltConnections, inFlight: 16);
        await WaitForTrafficAsync(httpLoad, boltLoad, proxy, "before the broken upgrade");

        File.WriteAllText(proxy.ConfigPath, File.ReadAllText(proxy.ConfigPath).Replace("workers = 2", "workers = \"two\""));
        proxy.Signal(Libc.SigHup);
        var failed = await proxy.WaitForLogAsync("upgrade failed", Liveness);
        output.WriteLine($"upgrade failed as expected: {failed}");
        await WaitForTrafficAsync(httpLoad, boltLoad, proxy, "after the broken upgrade");

        await httpLoad.StopAsync();
        var boltResult = await boltLoad.StopAsync();
        output.WriteLine($"HTTP: {httpLoad.Completed} requests, {httpLoad.Failures.Count} failed; Bolt: {boltResult.Ok} ok, {boltResult.Failed} failed, {boltResult.Connects} connects, {boltResult.Closes} closes");
        Assert.True(httpLoad.Failures.Count == 0 && httpLoad.RetriedAfterIdleClose == 0, $"{httpLoad.Failures.Count} failed HTTP requests, {httpLoad.RetriedAfterIdleClose} on closed keep-alive connections:\n{string.Join("\n", httpLoad.Failures.Take(20))}\n{proxy.Describe()}");
        Assert.True(boltResult.Failed == 0, $"{boltResult.Failed} failed RPC calls:\n{string.Join("\n", boltResult.Errors)}\n{proxy.Describe()}");
        Assert.Equal(0, httpLoad.ClosedByServer);
        Assert.Equal(boltLoad.InitialPorts, boltResult.Ports);
        Assert.Equal(BoltConnections, boltResult.Connects);
        Assert.Equal([proxy.Pid], processes.Running());
        Assert.Empty(proxy.FindLogs("upgrade: handed over"));
        await proxy.StopCleanlyAsync();
    }

    private static ProxyConfig Config(TempDirectory uds, TcpBackend http, BoltServer bolt)
    {
        var config = new ProxyConfig { DrainTimeout = "30s", UdsDir = uds.Path };
        config.Listeners.Add(new ListenerSpec { Name = "web", Cluster = "", Http = HttpRoutes });
        config.Listeners.Add(new ListenerSpec { Name = "inbound", Cluster = "", RpcProxy = """routes = [ { match = { service_prefix = "com.meshedge." }, cluster = "rpc" } ]""" });
        var app = new ClusterSpec { Name = "app" };
        app.Hosts.Add(http.EndPoint.ToString());
        var rpc = new ClusterSpec { Name = "rpc" };
        rpc.Hosts.Add(bolt.EndPoint.ToString());
        config.Clusters.Add(app);
        config.Clusters.Add(rpc);
        return config;
    }

    /// <summary>Both loads make progress (liveness only: no rate is asserted).</summary>
    private static async Task WaitForTrafficAsync(HttpKeepAliveLoad httpLoad, BoltLoad boltLoad, ProxyProcess proxy, string when)
    {
        var httpBefore = httpLoad.Completed;
        var boltBefore = boltLoad.Ok;
        Assert.True(await Progress.WaitUntilAsync(() => httpLoad.Completed >= httpBefore + 50 && boltLoad.Ok >= boltBefore + 200, Liveness),
            $"no progress {when}: HTTP {httpBefore} -> {httpLoad.Completed}, Bolt {boltBefore} -> {boltLoad.Ok} ({boltLoad.Failed} failed)\n{proxy.Describe()}\n{boltLoad.Process.Describe()}");
    }

    private void WritePhaseTimings(ProxyProcess first, List<int> pids)
    {
        for (var i = 1; i < pids.Count; i++)
        {
            string Line(string message, int pid) => first.FindLog(message, line => line.Get("pid") == Text(pid))?.ToString() ?? "(none)";
            output.WriteLine($"upgrade {i}: {pids[i - 1]} -> {pids[i]}");
            output.WriteLine("  " + Line("upgrade: handed over", pids[i - 1]));
            output.WriteLine("  " + Line("upgrade complete", pids[i]));
            output.WriteLine("  " + Line("upgrade: connections migrated", pids[i - 1]));
            output.WriteLine("  " + Line("upgrade: connections adopted", pids[i]));
            output.WriteLine("  " + Line("upgrade: drained", pids[i - 1]));
        }
    }

    private static string Text(int pid) => pid.ToString(CultureInfo.InvariantCulture);
}
