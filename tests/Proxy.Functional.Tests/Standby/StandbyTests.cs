using System.Diagnostics;
using System.Net.Http;
using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Bolt;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Standby;

/// <summary>
/// Standby and active, switched at run time through POST /mode on the AOT binary, under steady HTTP
/// load (strict: any error, close or non-200 fails) and Bolt load (sofa-rpc-node): no request fails
/// either way; in standby the local backends get about standby.local_share of the requests and the
/// peers' backends the rest (counted at the backends); new connections go to the first worker while
/// the other is parked (per-worker accept counts), and active spreads them again. A parked worker keeps
/// its thread while it has connections (each worker owns its connections' epoll set) and gives it back
/// once it has none: the thread count falls (read from /proc), and active starts it again.
/// </summary>
public sealed class StandbyTests(ITestOutputHelper output)
{
    private const string Echo = "com.meshedge.Echo:1.0";
    private const double LocalShare = 0.1;
    private static readonly HttpClient Admin = new() { Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task Switching_under_http_and_bolt_load_fails_nothing_and_standby_keeps_only_the_local_share()
    {
        var (localHttp, local) = NamedHttpResponder.Start("local", _ => 200);
        var (peersHttp, peers) = NamedHttpResponder.Start("peers", _ => 200);
        await using var _1 = localHttp;
        await using var _2 = peersHttp;
        await using var localBolt = await BoltServer.StartQuietAsync("a", Echo);
        await using var peersBolt = await BoltServer.StartQuietAsync("b", Echo);
        await using var proxy = await ProxyProcess.StartTomlAsync(Toml(localHttp.EndPoint, peersHttp.EndPoint, localBolt.EndPoint, peersBolt.EndPoint), output);

        var clock = Stopwatch.StartNew();
        var http = new SteadyHttpLoad(proxy.ListenerAddress(), "/", connections: 4, TimeSpan.FromMilliseconds(2), clock);
        http.Start();
        await using var bolt = await BoltLoad.StartAsync(proxy.ListenerAddress("rpc"), Echo, connections: 2, inFlight: 4);
        await Task.Delay(1000);
        Assert.Equal(0, peers.Requests);
        Assert.Equal(0, peersBolt.QuietEchoes);

        var toStandby = await SwitchAsync(proxy, "standby");
        Assert.Equal("standby", toStandby.GetProperty("mode").GetString());
        Assert.Equal([1], toStandby.GetProperty("parked_workers").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(toStandby.GetProperty("accept_steering").GetBoolean(), toStandby.ToString());
        var (httpLocal0, httpPeers0, boltLocal0, boltPeers0) = (local.Requests, peers.Requests, localBolt.QuietEchoes, peersBolt.QuietEchoes);

        // New connections in standby all go to the first worker; the parked one serves only what it had.
        var acceptedBefore = await AcceptedAsync(proxy);
        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(200, (await HttpExchange.GetAsync(proxy.ListenerAddress(), "/")).Status);
        }

        var acceptedInStandby = await AcceptedAsync(proxy);
        Assert.Equal(acceptedBefore[1], acceptedInStandby[1]);
        Assert.Equal(acceptedBefore[0] + 16, acceptedInStandby[0]);

        await WaitForAsync(() => peers.Requests - httpPeers0 >= 2000 && peersBolt.QuietEchoes - boltPeers0 >= 5000, "standby traffic at the peers");
        var (httpLocal1, httpPeers1, boltLocal1, boltPeers1) = (local.Requests, peers.Requests, localBolt.QuietEchoes, peersBolt.QuietEchoes);
        var toActive = await SwitchAsync(proxy, "active");
        Assert.Equal("active", toActive.GetProperty("mode").GetString());
        Assert.Empty(toActive.GetProperty("parked_workers").EnumerateArray());

        var httpShare = Share(httpLocal1 - httpLocal0, httpPeers1 - httpPeers0);
        var boltShare = Share(boltLocal1 - boltLocal0, boltPeers1 - boltPeers0);
        output.WriteLine($"in standby the local backends got {httpShare:P1} of HTTP and {boltShare:P1} of Bolt (share {LocalShare:P0})");
        Assert.InRange(httpShare, LocalShare / 3, LocalShare * 3);
        Assert.InRange(boltShare, LocalShare / 3, LocalShare * 3);

        // Active: the peers get nothing new once the calls in flight at the switch are answered (and the
        // quiet server's count, reported every 100 ms, has caught up), and new connections spread again.
        await Task.Delay(500);
        var (httpPeers2, boltPeers2) = (peers.Requests, peersBolt.QuietEchoes);
        var spreadBefore = await AcceptedAsync(proxy);
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(200, (await HttpExchange.GetAsync(proxy.ListenerAddress(), "/")).Status);
        }

        var spreadAfter = await AcceptedAsync(proxy);
        Assert.True(spreadAfter[1] > spreadBefore[1] && spreadAfter[0] > spreadBefore[0],
            $"active should spread new connections over both workers: before {string.Join(",", spreadBefore)}, after {string.Join(",", spreadAfter)}");
        await Task.Delay(500);
        Assert.Equal(httpPeers2, peers.Requests);
        Assert.Equal(boltPeers2, peersBolt.QuietEchoes);

        await http.StopAsync();
        var boltResult = await bolt.StopAsync();
        Assert.Empty(http.Failures);
        Assert.True(boltResult.Failed == 0 && boltResult.Mismatched == 0, string.Join("\n", boltResult.Errors));
        Assert.True(http.Answers.Count > 1000 && boltResult.Ok > 1000, $"http {http.Answers.Count}, bolt {boltResult.Ok}");

        var stats = await ModeAsync(proxy, "/stats");
        Assert.Equal(2, stats.GetProperty("switches").GetInt64());
        Assert.True(stats.GetProperty("requests_to_peers").GetInt64() >= 2500, stats.ToString());
        Assert.NotNull(proxy.FindLog("mode switched"));
        var metrics = await proxy.AdminGetAsync("/metrics");
        Assert.Contains("meshedge_standby 0", metrics, StringComparison.Ordinal);
        Assert.Contains("meshedge_mode_switches_total 2", metrics, StringComparison.Ordinal);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Standby_gives_pooled_memory_back_and_a_bad_mode_is_refused()
    {
        var (backend, _) = NamedHttpResponder.Start("local", _ => 200);
        await using var _1 = backend;
        await using var big = ScriptedHttpBackend.Start();
        await using var proxy = await ProxyProcess.StartTomlAsync(Toml(backend.EndPoint, backend.EndPoint, backend.EndPoint, backend.EndPoint, big.EndPoint), output);

        // A load peak: slow readers of large bodies fill the pools; once they close, the blocks stay cached.
        var readers = new List<System.Net.Sockets.Socket>();
        for (var i = 0; i < 8; i++)
        {
            var reader = await Loopback.ConnectAsync(proxy.ListenerAddress());
            await Loopback.SendAllAsync(reader, System.Text.Encoding.ASCII.GetBytes(HttpExchange.Request("GET", "/big", "test", $"x-action: big:{64 * Sizes.MiB}")));
            readers.Add(reader);
        }

        await WaitForAsync(async () => (await proxy.AdminMemoryAsync()).GetProperty("buffers_in_use_bytes").GetInt64() >= 6 * Sizes.MiB, "the readers' buffers");
        readers.ForEach(r => r.Dispose());
        await WaitForAsync(async () => (await proxy.AdminMemoryAsync()).GetProperty("buffers_in_use_bytes").GetInt64() < Sizes.MiB, "the buffers back in the pools");
        var active = await proxy.AdminMemoryAsync();
        var activeRss = proxy.ResidentSetBytes;
        var threads = ThreadCount(proxy.Pid);
        var workerThreads = WorkerThreadCount(proxy.Pid);
        Assert.Equal(2, workerThreads);

        var standby = await SwitchAsync(proxy, "standby");
        var released = standby.GetProperty("released_buffer_bytes").GetInt64();
        var after = await proxy.AdminMemoryAsync();
        var standbyRss = proxy.ResidentSetBytes;
        output.WriteLine($"active: rss {activeRss}, cached {active.GetProperty("buffers_cached_bytes")}; standby: rss {standbyRss}, released {released}, " +
            $"switch {standby.GetProperty("switch_ms")} ms; threads {threads} -> {ThreadCount(proxy.Pid)}");
        Assert.True(released >= 4 * Sizes.MiB, standby.ToString());

        // The executable's cold pages (code and read-only data touched at start) go too: a few MiB.
        var releasedCode = standby.GetProperty("released_code_bytes").GetInt64();
        Assert.True(releasedCode >= Sizes.MiB, standby.ToString());
        Assert.True(after.GetProperty("buffers_cached_bytes").GetInt64() < Sizes.MiB, after.ToString());
        Assert.True(activeRss - standbyRss >= (released + releasedCode) / 2, $"RSS {activeRss} -> {standbyRss} with {released} + {releasedCode} bytes released");

        // The parked worker has no connection left (the readers closed, its idle upstreams were closed by
        // the switch, and every admin call here is on a fresh connection, steered to worker 0), so it gives
        // its thread back: one worker thread fewer, and the process's threads fall.
        var rested = await WaitForModeAsync(proxy, m => m.GetProperty("resting_workers").GetArrayLength() == 1, "worker 1 resting");
        Assert.Equal([1], rested.GetProperty("resting_workers").EnumerateArray().Select(e => e.GetInt32()));
        output.WriteLine($"rested: threads {threads} -> {ThreadCount(proxy.Pid)}, worker threads {workerThreads} -> {WorkerThreadCount(proxy.Pid)}");
        Assert.Equal(workerThreads - 1, WorkerThreadCount(proxy.Pid));
        Assert.True(ThreadCount(proxy.Pid) < threads, $"threads {threads} in active, {ThreadCount(proxy.Pid)} in standby with worker 1 resting");

        // Still serving, and a request for the big backend's cluster rents fresh (zeroed) pages.
        Assert.Equal(200, (await HttpExchange.GetAsync(proxy.ListenerAddress(), "/")).Status);
        using (var refused = await Admin.PostAsync($"http://{proxy.ListenerAddress("admin")}/mode?value=asleep", null))
        {
            Assert.Equal(400, (int)refused.StatusCode);
        }

        var backToActive = await SwitchAsync(proxy, "active");
        Assert.Equal("active", backToActive.GetProperty("mode").GetString());
        Assert.Equal(0, backToActive.GetProperty("resting_workers").GetArrayLength());
        Assert.Equal(2, WorkerThreadCount(proxy.Pid));

        // Active restores throughput: new connections spread over both workers again, and every request succeeds.
        var acceptedBefore = await AcceptedAsync(proxy);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(200, (await HttpExchange.GetAsync(proxy.ListenerAddress(), "/")).Status);
            var accepted = await AcceptedAsync(proxy);
            if (i >= 10 && accepted[0] > acceptedBefore[0] && accepted[1] > acceptedBefore[1])
            {
                break;
            }

            Assert.True(i < 199, $"new connections did not reach both workers: before {string.Join(",", acceptedBefore)}, after {string.Join(",", accepted)}");
        }

        using (var dump = JsonDocument.Parse(await proxy.AdminGetAsync("/config_dump")))
        {
            Assert.Equal("active", dump.RootElement.GetProperty("runtime").GetProperty("mode").GetString());
            Assert.Equal(0.8, dump.RootElement.GetProperty("runtime").GetProperty("overload").GetProperty("stop_reading").GetDouble());
            Assert.Equal(LocalShare, dump.RootElement.GetProperty("standby").GetProperty("local_share").GetDouble());
        }

        await proxy.StopCleanlyAsync();
    }

    private static double Share(long local, long peers) => local + peers == 0 ? double.NaN : (double)local / (local + peers);

    private static int ThreadCount(int pid) =>
        int.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Threads:", StringComparison.Ordinal))["Threads:".Length..].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The threads named meshedge-worker-N (the kernel keeps 15 characters of a thread's name).</summary>
    private static int WorkerThreadCount(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task").Count(task => File.ReadAllText(Path.Combine(task, "comm")).StartsWith("meshedge-worker", StringComparison.Ordinal));

    private static Task<JsonElement> SwitchAsync(ProxyProcess proxy, string mode) => proxy.AdminJsonAsync("POST", $"/mode?value={mode}");

    private static async Task<JsonElement> ModeAsync(ProxyProcess proxy, string path)
    {
        var document = await proxy.AdminJsonAsync("GET", path);
        return path == "/mode" ? document : document.GetProperty("mode");
    }

    private static async Task<JsonElement> WaitForModeAsync(ProxyProcess proxy, Func<JsonElement, bool> done, string what)
    {
        JsonElement mode = default;
        await WaitForAsync(async () => done(mode = await ModeAsync(proxy, "/mode")), what);
        return mode;
    }

    /// <summary>Connections each worker accepted on the inbound listener so far.</summary>
    private static async Task<long[]> AcceptedAsync(ProxyProcess proxy) =>
        [.. (await proxy.WorkerCountersAsync()).Select(worker => worker.Accepted["inbound"])];

    private static Task WaitForAsync(Func<bool> done, string what) => WaitForAsync(() => Task.FromResult(done()), what);

    private static async Task WaitForAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited 90s for {what}");
            await Task.Delay(100);
        }
    }

    private static string Toml(System.Net.IPEndPoint localHttp, System.Net.IPEndPoint peersHttp, System.Net.IPEndPoint localBolt,
        System.Net.IPEndPoint peersBolt, System.Net.IPEndPoint? big = null) => $$"""
        [runtime]
        workers = 2
        drain_timeout = "10s"

        [admin]
        address = "127.0.0.1:0"

        [standby]
        local_cluster = ["app", "app_rpc"]
        peers_cluster = ["peers", "peers_rpc"]
        local_share = {{LocalShare.ToString(System.Globalization.CultureInfo.InvariantCulture)}}

        [[listeners]]
        name = "inbound"
        address = "127.0.0.1:0"
        protocol = "http"

        [listeners.http]
        [[listeners.http.virtual_hosts]]
        name = "all"
        domains = ["*"]
        routes = [{ match = { prefix = "/big" }, cluster = "big", timeout = "120s" }, { match = { prefix = "/" }, cluster = "app" }]

        [[listeners]]
        name = "rpc"
        address = "127.0.0.1:0"
        protocol = "bolt"

        [listeners.rpc_proxy]
        routes = [{ match = { service_prefix = "com.meshedge." }, cluster = "app_rpc" }]

        [[clusters]]
        name = "app"
        hosts = ["{{localHttp}}"]

        [[clusters]]
        name = "peers"
        hosts = ["{{peersHttp}}"]

        [[clusters]]
        name = "app_rpc"
        hosts = ["{{localBolt}}"]

        [[clusters]]
        name = "peers_rpc"
        hosts = ["{{peersBolt}}"]

        [[clusters]]
        name = "big"
        hosts = ["{{big ?? localHttp}}"]
        """;
}
