using System.Diagnostics;
using System.Net;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Upstream;

/// <summary>
/// Issue 18 item 6's acceptance test for HTTP/1.1: with the default config (no retry policy, no
/// health check, no outlier detection), one of two nginx backends is killed with SIGKILL under steady
/// keep-alive GET load, and no client request may fail. Tries that meet the dead host's refused
/// connect move on; the requests it had in flight on pooled connections, and those that reuse its
/// pooled connections before the proxy sees them close, are lost before any response byte and are
/// retried by default on the live host. A bare kill rarely catches a request in flight (nginx answers
/// in microseconds), so the second case freezes the backend first (SIGSTOP): every client's request
/// that picks it then waits on a pooled connection until the kill resets them all, as when a
/// backend hangs and is killed by its supervisor.
/// </summary>
public sealed class BackendKillDefaultConfigTests(ITestOutputHelper output)
{
    // Fewer load connections than the pool holds to each host after the warm-up, so that a frozen
    // backend's requests all wait on pooled connections: a try on a new connection that the upstream
    // accepted (here, its kernel) and then lost is not retried by default, as it may have been the
    // request that killed it.
    private const int WarmUpConnections = 16;
    private const int Connections = 4;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(4);

    // The load runs on after the kill until this many more answers came.
    private const int AnswersAfterKill = 1000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Killing_one_of_two_backends_under_keep_alive_load_fails_no_request_with_the_default_config(bool frozenFirst)
    {
        await using var victim = await StartBackendAsync("victim");
        await using var live = await StartBackendAsync("live");
        await using var proxy = await ProxyProcess.StartTomlAsync(Config(victim.EndPoint, live.EndPoint), output);
        await WarmUpAsync(proxy.ListenerAddress("inbound"), victim, live);
        var clock = Stopwatch.StartNew();
        var load = new SteadyHttpLoad(proxy.ListenerAddress("inbound"), "/who", Connections, Pace, clock);
        load.Start();
        long killAtMs, deadAtMs;
        try
        {
            Assert.True(
                await Progress.WaitUntilAsync(() => load.Answers.Count(a => a.Body == "victim") >= 200, TimeSpan.FromSeconds(30)),
                $"the victim answered only {load.Answers.Count(a => a.Body == "victim")} requests before the kill");
            if (frozenFirst)
            {
                victim.Freeze();

                // Long enough for every client to send a request that picks the frozen host (round
                // robin alternates); not a speed bound: a shorter wait only catches fewer.
                await Task.Delay(300);
            }

            killAtMs = clock.ElapsedMilliseconds;
            await victim.KillHardAsync();
            deadAtMs = clock.ElapsedMilliseconds;
            Assert.True(
                await Progress.WaitUntilAsync(() => load.Answers.Count(a => a.AtMs > killAtMs) >= AnswersAfterKill, TimeSpan.FromSeconds(60)),
                $"only {load.Answers.Count(a => a.AtMs > killAtMs)} answers after the kill");
        }
        finally
        {
            await load.StopAsync();
        }

        await proxy.StopCleanlyAsync();
        var stats = proxy.ClusterStats();
        var lostRetried = stats.RequireLong("upstream_rq_retry_reset_before_response");
        output.WriteLine(
            $"requests sent: {load.Sent}, answered: {load.Answers.Count}, failed: {load.Failures.Count}; proxy: upstream_rq_retry {stats.RequireLong("upstream_rq_retry")}, " +
            $"upstream_rq_retry_reset_before_response {lostRetried}, upstream_cx_connect_fail {stats.RequireLong("upstream_cx_connect_fail")}, " +
            $"upstream_rq_retry_overflow {stats.RequireLong("upstream_rq_retry_overflow")}");
        foreach (var failure in load.Failures.Take(20))
        {
            output.WriteLine($"failure: {failure}");
        }

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} of {load.Sent} client requests failed, the first: {string.Join("; ", load.Failures.Take(3))}\n{proxy.Describe()}");
        // An answer the backend wrote before dying may reach the client any time later on a loaded
        // machine; a request sent once it was dead cannot have been answered by it.
        var late = load.Answers.Count(a => a.Body == "victim" && a.SentMs > deadAtMs);
        Assert.True(late == 0, $"{late} answers from the dead backend to requests sent after it died");

        // Tries to the dead host after the kill met a refused connect and moved on without a policy.
        Assert.True(stats.RequireLong("upstream_cx_connect_fail") >= 1, "no try met the dead host's refused connect: the kill went unnoticed");

        // The frozen host held requests when it died, and each was retried: the case under test happened.
        Assert.True(!frozenFirst || lostRetried >= 1, "no request was in flight on the frozen backend when it was killed");
    }

    /// <summary>
    /// Many requests at once, so that the pool holds more idle connections to each host than the load
    /// has clients: the backends are frozen while they arrive, so none can be answered before the
    /// next is sent and each needs a connection of its own.
    /// </summary>
    private static async Task WarmUpAsync(System.Net.IPEndPoint proxy, params NginxProcess[] backends)
    {
        var clients = new List<RawHttpClient>();
        try
        {
            foreach (var backend in backends)
            {
                backend.Freeze();
            }

            for (var i = 0; i < WarmUpConnections; i++)
            {
                clients.Add(await RawHttpClient.ConnectAsync(proxy));
            }

            foreach (var client in clients)
            {
                await client.SendAsync(HttpExchange.Request("GET", "/who", "load.test"));
            }

            // Time for the proxy to pass them all on; a request it passes on after the thaw may find
            // a connection already free, which only leaves the pool a little smaller.
            await Task.Delay(300);
            foreach (var backend in backends)
            {
                backend.Thaw();
            }

            foreach (var client in clients)
            {
                Assert.Equal(200, (await client.ReadResponseAsync()).Status);
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            foreach (var backend in backends)
            {
                backend.Thaw();
            }
        }
    }

    private static async Task<NginxProcess> StartBackendAsync(string name)
    {
        var nginx = await NginxProcess.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(nginx.Root, "who"), name);
        return nginx;
    }

    // The default config: a route and a cluster, nothing about retries, health or outliers.
    private static string Config(IPEndPoint victim, IPEndPoint live) => HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", victim, live));
}
