using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Admin;

/// <summary>
/// /stats "memory" and the meshedge_memory_* series of the AOT binary: the budget and its source,
/// and the memory held by category. Clients that stop reading large responses hold pooled buffer
/// blocks (up to buffer_limit each); the in-use figure rises while they hold them and falls back,
/// the blocks going to the pool's cache, once they close. Asserted on the counters, polled.
/// </summary>
public sealed class MemoryStatsTests(ITestOutputHelper output)
{
    private const int SlowReaders = 4;
    private const long BodyLength = 64L * Sizes.MiB;
    private const long Budget = 8 * Sizes.MiB;
    private const long BlockSize = 16 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Pooled_buffers_rise_under_held_responses_and_fall_back_when_released()
    {
        await using var backend = ScriptedHttpBackend.Start();
        var toml = HttpToml.WithListenerSettings(
                HttpToml.Config(HttpToml.CatchAll(routeExtras: "timeout = \"120s\""), HttpToml.Cluster("app", backend.EndPoint)),
                "buffer_limit = \"1MiB\"")
            .Replace("[runtime]\n", "[runtime]\nmemory_budget = \"8MiB\"\n", StringComparison.Ordinal)
            + "\n[admin]\naddress = \"127.0.0.1:0\"\n";
        await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);

        var idle = await proxy.AdminMemoryAsync();
        Assert.Equal(Budget, idle.GetProperty("budget_bytes").GetInt64());
        Assert.Equal("runtime.memory_budget", idle.GetProperty("budget_source").GetString());
        Assert.True(idle.GetProperty("rss_bytes").GetInt64() > 0, idle.ToString());
        Assert.True(idle.GetProperty("managed_live_bytes").GetInt64() > 0, idle.ToString());
        Assert.False(idle.GetProperty("gc_configuration").GetProperty("ServerGC").GetBoolean());
        var idleInUse = idle.GetProperty("buffers_in_use_bytes").GetInt64();

        using (var dump = JsonDocument.Parse(await proxy.AdminGetAsync("/config_dump")))
        {
            Assert.Equal(Budget, dump.RootElement.GetProperty("runtime").GetProperty("memory_budget_bytes").GetInt64());
        }

        var metrics = await proxy.AdminGetAsync("/metrics");
        foreach (var category in new[] { "rss", "buffers_in_use", "buffers_cached", "managed_heap", "managed_committed" })
        {
            Assert.Contains($"meshedge_memory_bytes{{category=\"{category}\"}} ", metrics, StringComparison.Ordinal);
        }

        Assert.Contains($"meshedge_memory_budget_bytes {Budget}", metrics, StringComparison.Ordinal);
        Assert.Contains("meshedge_worker_buffer_bytes{worker=\"0\",state=\"in_use\"}", metrics, StringComparison.Ordinal);

        // Each slow reader asks for a large body and reads nothing: the proxy holds up to buffer_limit of it.
        var clients = new List<Socket>();
        for (var i = 0; i < SlowReaders; i++)
        {
            var client = await Loopback.ConnectAsync(proxy.ListenerAddress());
            await Loopback.SendAllAsync(client, Encoding.ASCII.GetBytes(HttpExchange.Request("GET", "/", "test", $"x-action: big:{BodyLength}")));
            clients.Add(client);
        }

        var held = await proxy.PollMemoryAsync(m => m.GetProperty("buffers_in_use_bytes").GetInt64() >= idleInUse + (SlowReaders * 512 * 1024),
            "buffers in use to reach half a MiB per slow reader", Patience);
        output.WriteLine($"idle: {idle}\nheld: {held}");
        Assert.True(held.GetProperty("connections").GetInt32() >= 2 * SlowReaders, held.ToString());
        var heldInUse = held.GetProperty("buffers_in_use_bytes").GetInt64();

        foreach (var client in clients)
        {
            client.Dispose();
        }

        var released = await proxy.PollMemoryAsync(m => m.GetProperty("buffers_in_use_bytes").GetInt64() <= idleInUse + BlockSize,
            "buffers in use to fall back to the idle figure", Patience);
        output.WriteLine($"released: {released}");
        Assert.True(released.GetProperty("buffers_cached_bytes").GetInt64() >= heldInUse - idleInUse,
            $"the released blocks are back in the pool's cache: {released}");

        await proxy.StopCleanlyAsync();
    }
}
