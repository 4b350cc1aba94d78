using System.Net;
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

    /// <summary>Calls in flight on the one connection of the in-flight tests.</summary>
    private const int InFlight = 20;
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
            var successor = await first.WaitForSuccessorAsync(current, Liveness);
            pids.Add(successor);

            // The old process moves every Bolt connection, and the successor adopts them all.
            var migrated = await first.WaitForLogOfAsync("upgrade: connections migrated", current, Liveness);
            var adopted = await first.WaitForLogOfAsync("upgrade: connections adopted", successor, Liveness);
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
            await first.AssertStoppedAsync(processes, pid, Liveness);
        }

        Assert.Equal(0, await first.WaitForExitCodeAsync(Liveness));
        Assert.Equal([pids[^1]], processes.Running());
        Assert.Empty(first.FindLogs("upgrade failed"));
        Assert.Empty(first.FindLogs("buffer pool leak"));
        Assert.Empty(first.FindLogs("buffer pool double return"));

        Assert.Equal(0, Libc.Kill(pids[^1], Libc.SigTerm));
        var last = await first.WaitForLogOfAsync("stopped", pids[^1], Liveness);
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

    [Fact]
    public async Task APartialFrameReadBeforeTheMoveIsCompletedInTheSuccessor()
    {
        using var uds = new TempDirectory();
        await using var http = HttpBackend.Start();
        await using var bolt = await BoltServer.StartQuietAsync("a", Echo);
        var config = Config(uds, http, bolt);
        config.Workers = 1;
        await using var proxy = await ProxyProcess.StartAsync(config, output);
        await using var processes = new MeshEdgeProcesses(proxy.ConfigPath);
        using var client = await Loopback.ConnectAsync(proxy.ListenerAddress("inbound"));
        await Loopback.SendAllAsync(client, BoltWire.Heartbeat(1));
        Assert.Equal(1, (await BoltWire.ReceiveResponseAsync(client)).RequestId);

        // Ten bytes of the next frame reach the proxy before the upgrade: it must move them along.
        var second = BoltWire.Heartbeat(2);
        await Loopback.SendAllAsync(client, second.AsMemory(0, 10));
        var (clientPort, proxyPort) = (((IPEndPoint)client.LocalEndPoint!).Port, proxy.ListenerAddress("inbound").Port);
        Assert.True(await Progress.WaitUntilAsync(() => KernelTcpQueues.InFlight(clientPort, proxyPort) == 0, Liveness), "the proxy never read the ten bytes");
        proxy.Signal(Libc.SigHup);
        var migrated = await proxy.WaitForAnyLogAsync("upgrade: connections migrated", Liveness);
        var adopted = await proxy.WaitForAnyLogAsync("upgrade: connections adopted", Liveness);
        output.WriteLine(migrated.ToString());
        output.WriteLine(adopted.ToString());
        Assert.Equal(1, migrated.RequireLong("migrated"));
        Assert.Equal(10, migrated.RequireLong("pending_bytes"));
        Assert.Equal(10, adopted.RequireLong("pending_bytes"));

        // The rest of the frame goes to the successor, which answers the whole frame on the same connection.
        await Loopback.SendAllAsync(client, second.AsMemory(10));
        Assert.Equal(2, (await BoltWire.ReceiveResponseAsync(client)).RequestId);
        var successor = (int)adopted.RequireLong("pid");
        Assert.True(await processes.WaitForExitAsync(proxy.Pid, Liveness));
        Assert.Equal([successor], processes.Running());
        await Loopback.SendAllAsync(client, BoltWire.Heartbeat(3));
        Assert.Equal(3, (await BoltWire.ReceiveResponseAsync(client)).RequestId);
        Assert.Equal(0, Libc.Kill(successor, Libc.SigTerm));
        Assert.True(await processes.WaitForExitAsync(successor, Liveness));
    }

    [Fact]
    public async Task CallsInFlightAtTheUpgradeAreAnsweredByTheOldProcessBeforeTheConnectionMoves()
    {
        using var uds = new TempDirectory();
        await using var http = HttpBackend.Start();
        await using var bolt = await BoltServer.StartAsync("a", Echo);
        await using var proxy = await ProxyProcess.StartAsync(Config(uds, http, bolt), output);
        // The successor is no child of the test: this finds it and stops it at the end.
        await using var processes = new MeshEdgeProcesses(proxy.ConfigPath);
        var inbound = proxy.ListenerAddress("inbound");

        // The calls wait behind the server's gate, so they are in flight at the upgrade for as long as the test says.
        await using var client = await BoltClient.StartAsync(inbound, [new BoltCall(Echo, "gated", ["$i"], Count: InFlight, TimeoutMs: 30_000)],
            waitMs: 45_000, followUp: [new BoltCall(Echo, "echo", ["after the move"], TimeoutMs: 30_000)]);
        await client.SentAsync();
        Assert.True(await Progress.WaitUntilAsync(() => bolt.RequestsOf("gated") >= InFlight, Liveness), $"the calls did not reach the server\n{bolt.Process.Describe()}");

        proxy.Signal(Libc.SigHup);
        var successor = await proxy.WaitForSuccessorAsync(proxy.Pid, Liveness);

        // Once the old process has closed its listening sockets its workers drain: it reads nothing more
        // from the client. A call sent now waits in the socket and moves with it, so only the successor
        // can answer it, and only once it holds the connection. The byte stream keeps the order in which
        // the two processes wrote: that answer must come after every answer to the calls in flight.
        Assert.True(await ListeningSockets.WaitUntilReleasedAsync(proxy.Pid, inbound.Port, Liveness), $"the old process kept its listening sockets\n{proxy.Describe()}");
        await client.SendFollowUpAsync();
        await bolt.OpenGateAsync();
        var run = await client.WaitAsync();
        var migrated = await proxy.WaitForLogOfAsync("upgrade: connections migrated", proxy.Pid, Liveness);
        var adopted = await proxy.WaitForLogOfAsync("upgrade: connections adopted", successor, Liveness);
        output.WriteLine(migrated.ToString());
        output.WriteLine(adopted.ToString());
        output.WriteLine($"arrivals: in flight [{string.Join(", ", run.Results.Select(r => r.Arrival))}], after the move {run.FollowUp.Single().Arrival}");

        var after = Assert.Single(run.FollowUp);
        Assert.True(after.Status == BoltStatus.Success && after.Value == "a:after the move", $"the call sent after the move: {after}\n{run.Log}");
        Assert.Equal(InFlight, run.Results.Length);
        Assert.All(run.Results, result => Assert.True(
            result.Status == BoltStatus.Success && result.Value == $"a:{result.Index}" && result.Arrival < after.Arrival,
            $"{result} (the call sent after the move arrived as response {after.Arrival})\n{run.Log}"));
        Assert.True(migrated.RequireLong("migrated") == 1 && migrated.RequireLong("failed") == 0, migrated.ToString());
        Assert.Equal(1, adopted.RequireLong("adopted"));

        // Each call ran once on the server: nothing was replayed by the successor.
        Assert.Equal(InFlight, bolt.RequestsOf("gated"));
        Assert.Equal(1, bolt.RequestsOf("echo"));
        Assert.True(await processes.WaitForExitAsync(proxy.Pid, Liveness), $"the old process did not exit\n{proxy.Describe()}");
        Assert.Equal([successor], processes.Running());
        Assert.Equal(0, Libc.Kill(successor, Libc.SigTerm));
        await proxy.WaitForLogOfAsync("stopped", successor, Liveness);

        // The old process took and answered exactly the calls in flight; the successor exactly the one after the move.
        var stats = RpcListenerStatsByProcess(proxy, "inbound");
        Assert.True(stats.Count == 2, $"expected the old process's and the successor's stats\n{proxy.Describe()}");
        Assert.True(stats[0].RequireLong("rq_total") == InFlight && stats[0].RequireLong("rs_success") == InFlight && stats[0].RequireLong("cx_migrated_out") == 1, $"old process: {stats[0]}");
        Assert.True(stats[1].RequireLong("rq_total") == 1 && stats[1].RequireLong("rs_success") == 1 && stats[1].RequireLong("cx_adopted") == 1, $"successor: {stats[1]}");
    }

    [Fact]
    public async Task AConnectionTheSuccessorCannotTakeDrainsInTheOldProcess()
    {
        using var uds = new TempDirectory();
        await using var http = HttpBackend.Start();
        await using var bolt = await BoltServer.StartAsync("a", Echo);
        var config = Config(uds, http, bolt);
        await using var proxy = await ProxyProcess.StartAsync(config, output);
        await using var processes = new MeshEdgeProcesses(proxy.ConfigPath);
        var inbound = proxy.ListenerAddress("inbound");

        // Two raw connections (a raw socket tells a clean close from a reset): one idle after a
        // heartbeat, one with calls in flight behind the server's gate.
        using var idle = await Loopback.ConnectAsync(inbound);
        await Loopback.SendAllAsync(idle, BoltWire.Heartbeat(1));
        Assert.Equal(1, (await BoltWire.ReceiveResponseAsync(idle)).RequestId);
        var requests = await BoltWire.EncodeRequestsAsync(new BoltCall(Echo, "gated", ["$i"], Count: InFlight, TimeoutMs: 30_000));
        using var busy = await Loopback.ConnectAsync(inbound);
        await Loopback.SendAllAsync(busy, requests.SelectMany(frame => frame).ToArray());
        Assert.True(await Progress.WaitUntilAsync(() => bolt.RequestsOf("gated") >= InFlight, Liveness), $"the calls did not reach the server\n{bolt.Process.Describe()}");

        // The new config serves Bolt under another listener name: that listener is not this one. Only
        // the successor may see it: applied live by this process first, it would drain the listener itself.
        config.Listeners[1] = new ListenerSpec { Name = "rpc", Cluster = "", RpcProxy = config.Listeners[1].RpcProxy };
        proxy.WriteConfigForSuccessor(config.ToToml());
        proxy.Signal(Libc.SigHup);
        var successor = await proxy.WaitForSuccessorAsync(proxy.Pid, Liveness);

        // The drain closes the idle connection at once, cleanly (a FIN, not a reset); the busy one waits for its calls.
        var idleEnd = await Loopback.WaitForEndAsync(idle, Liveness);
        Assert.True(idleEnd == ConnectionEnd.Closed, $"the idle connection: {idleEnd}, where the drain promises a clean close\n{proxy.Describe()}");
        Assert.True(MeshEdgeProcesses.IsAlive(proxy.Pid), $"the old process exited with calls in flight\n{proxy.Describe()}");

        // Every call in flight is answered by the draining process, and only then does it close the
        // connection, cleanly: every response, then end of stream.
        await bolt.OpenGateAsync();
        var answered = new List<int>();
        for (var i = 0; i < InFlight; i++)
        {
            var response = await BoltWire.ReceiveResponseAsync(busy);
            Assert.True(response.Status == BoltStatus.Success, $"call {response.RequestId}: status {response.Status}\n{proxy.Describe()}");
            answered.Add(response.RequestId);
        }

        Assert.Equal(Enumerable.Range(1, InFlight), answered.Order());
        var busyEnd = await Loopback.WaitForEndAsync(busy, Liveness);
        Assert.True(busyEnd == ConnectionEnd.Closed, $"the connection with calls in flight, after its answers: {busyEnd}, where the drain promises a clean close\n{proxy.Describe()}");
        Assert.Equal(0, await proxy.WaitForExitCodeAsync(Liveness));
        Assert.Equal(InFlight, bolt.RequestsOf("gated"));
        var stats = proxy.FindLog("rpc listener stats", line => line.Get("listener") == "inbound")!;
        Assert.True(stats.RequireLong("cx_migration_fallback") == 2 && stats.RequireLong("cx_migrated_out") == 0, stats.ToString());
        Assert.True(stats.RequireLong("rq_total") == InFlight && stats.RequireLong("rs_success") == InFlight, stats.ToString());
        Assert.Empty(proxy.FindLogs("drain deadline passed, closing connections"));
        Assert.Null(proxy.FindLog("config applied", line => line.Get("pid") == ProxyProcess.PidText(proxy.Pid)));
        Assert.Equal(0, Libc.Kill(successor, Libc.SigTerm));
        await proxy.WaitForLogOfAsync("stopped", successor, Liveness);
        Assert.True(await processes.WaitForExitAsync(successor, Liveness));
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
            string Line(string message, int pid) => first.FindLog(message, line => line.Get("pid") == ProxyProcess.PidText(pid))?.ToString() ?? "(none)";
            output.WriteLine($"upgrade {i}: {pids[i - 1]} -> {pids[i]}");
            output.WriteLine("  " + Line("upgrade: handed over", pids[i - 1]));
            output.WriteLine("  " + Line("upgrade complete", pids[i]));
            output.WriteLine("  " + Line("upgrade: connections migrated", pids[i - 1]));
            output.WriteLine("  " + Line("upgrade: connections adopted", pids[i]));
            output.WriteLine("  " + Line("upgrade: drained", pids[i - 1]));
        }
    }

    /// <summary>
    /// The exit-time stats lines of an RPC listener, in the order the processes stopped (they carry no
    /// pid: the test stops the processes one after the other, so the order tells them apart).
    /// </summary>
    private static List<LogLine> RpcListenerStatsByProcess(ProxyProcess proxy, string listener) =>
        [.. proxy.FindLogs("rpc listener stats").Where(line => line.Get("listener") == listener)];

}
