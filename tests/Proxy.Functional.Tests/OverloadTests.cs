using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Bolt;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// The memory budget's first overload action, on the AOT binary: slow readers of large HTTP responses
/// hold pooled buffers past a small runtime.memory_budget; new HTTP requests then get 503 "envoy
/// overloaded" and new Bolt calls (another listener, the same worker's pool) SERVER_THREADPOOL_BUSY,
/// counted, while what was accepted goes on; once the readers close, both are proxied again.
/// Asserted on replies and counters; the waits poll /stats.
/// </summary>
public sealed class OverloadTests(ITestOutputHelper output)
{
    private const string Echo = "com.meshedge.Echo:1.0";
    private const int SlowReaders = 4;
    private const long BodyLength = 64L * Sizes.MiB;
    private const long Budget = 1 * Sizes.MiB;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Over_the_budget_new_requests_and_calls_get_the_overload_reply_and_come_back_after()
    {
        await using var backend = ScriptedHttpBackend.Start();
        await using var bolt = await BoltServer.StartAsync("a", Echo);
        await using var proxy = await ProxyProcess.StartTomlAsync(Toml(backend, bolt), output);

        Assert.Equal(200, (await HttpExchange.GetAsync(proxy.ListenerAddress(), "/")).Status);
        await AssertBoltStatusAsync(proxy, BoltStatus.Success);

        // The backend holds the big bodies until all the slow readers' requests have reached it, that
        // is until the proxy has admitted every one of them: otherwise the first bodies can fill the
        // buffers past the budget before a later reader's request is checked, and it gets the 503.
        using var admitted = new CountdownEvent(SlowReaders);
        backend.Script = request =>
        {
            var action = request.Head.Get("x-action") ?? "echo";
            if (action.StartsWith("big:", StringComparison.Ordinal))
            {
                admitted.Signal();
                Assert.True(admitted.Wait(Patience), "not every slow reader's request reached the backend");
            }

            return action;
        };

        var readers = await SlowHttpReaders.StartAsync(proxy, SlowReaders, BodyLength);

        // Until the backend stalls, the proxy's buffers rise and fall as the readers' kernel buffers fill;
        // stalled, each reader's connection holds about buffer_limit in the proxy, steadily.
        await Progress.WaitForStallAsync(() => backend.BodyBytesSent, TimeSpan.FromSeconds(2), Patience, "backend body");
        await PollAsync(proxy, m => m.GetProperty("buffers_in_use_bytes").GetInt64() > Budget, "buffers in use past the budget");

        var refused = await HttpExchange.GetAsync(proxy.ListenerAddress(), "/");
        Assert.Equal(503, refused.Status);
        Assert.Equal("envoy overloaded", refused.BodyText);
        await AssertBoltStatusAsync(proxy, BoltStatus.ServerThreadpoolBusy);
        var over = await PollAsync(proxy, m => m.GetProperty("overload").GetProperty("rejected_rpc").GetInt64() >= 1, "the refused call counted");
        output.WriteLine($"over the budget: {over}");
        Assert.True(over.GetProperty("overload").GetProperty("active").GetBoolean(), over.ToString());
        Assert.Equal(1, over.GetProperty("overload").GetProperty("trips").GetInt64());
        Assert.Equal(1, over.GetProperty("overload").GetProperty("rejected_http").GetInt64());
        Assert.NotNull(proxy.FindLog("overload: pooled buffers over the memory budget, new requests get the overload reply"));
        var metrics = await proxy.AdminGetAsync("/metrics");
        Assert.Contains("meshedge_overload_rejected_total{protocol=\"http\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("meshedge_overload_active 1", metrics, StringComparison.Ordinal);

        // What was accepted goes on: the held responses are still open, not cut off.
        foreach (var reader in readers)
        {
            Assert.False(reader.Poll(0, SelectMode.SelectRead) && reader.Available == 0, "a slow reader's response was closed");
            reader.Dispose();
        }

        await PollAsync(proxy, m => m.GetProperty("buffers_in_use_bytes").GetInt64() <= Budget, "buffers in use back under the budget");
        Assert.Equal(200, (await HttpExchange.GetAsync(proxy.ListenerAddress(), "/")).Status);
        await AssertBoltStatusAsync(proxy, BoltStatus.Success);
        var after = await PollAsync(proxy, m => !m.GetProperty("overload").GetProperty("active").GetBoolean(), "the overload state to end");
        Assert.Equal(1, after.GetProperty("overload").GetProperty("rejected_http").GetInt64());
        Assert.Equal(1, after.GetProperty("overload").GetProperty("rejected_rpc").GetInt64());
        Assert.NotNull(proxy.FindLog("overload: pooled buffers back under the memory budget, new requests proxied again"));
        await proxy.StopCleanlyAsync();
    }

    private static Task<JsonElement> PollAsync(ProxyProcess proxy, Func<JsonElement, bool> done, string what) =>
        proxy.PollMemoryAsync(done, what, Patience);

    private static async Task AssertBoltStatusAsync(ProxyProcess proxy, int status)
    {
        var run = await BoltClient.RunAsync(proxy.ListenerAddress("rpc"), [new BoltCall(Echo, "echo", ["$i"], Count: 1)]);
        Assert.True(run.Results.Length == 1 && run.Results[0].Status == status, run.Log);
    }

    // Only the reject stage: the gentler ones (OverloadStagesTests) would keep buffers under the budget.
    private static string Toml(ScriptedHttpBackend backend, BoltServer bolt) => OverloadToml.Config(
        "1MiB",
        "stop_reading = 0\ndisable_keepalive = 0\nstop_accepting = 0",
        backend.EndPoint,
        moreListeners: """
            [[listeners]]
            name = "rpc"
            address = "127.0.0.1:0"
            protocol = "bolt"

            [listeners.rpc_proxy]
            routes = [{ match = { service_prefix = "com.meshedge." }, cluster = "a" }]
            """,
        moreClusters: $"""
            [[clusters]]
            name = "a"
            hosts = ["{bolt.EndPoint}"]
            """);
}
