using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Standby;

/// <summary>
/// The overload manager's staged actions below the reject stage, on the AOT binary. Slow readers of
/// large responses hold pooled buffers (up to buffer_limit each); each test sets thresholds so that
/// the stages it is about trip, asserts /stats, the log and the protocol's answer, then releases the
/// readers and sees the stages left and the memory back down. Nothing accepted is dropped: held
/// responses are read to their last byte, a connection waiting to be accepted is answered after.
/// </summary>
public sealed class OverloadStagesTests(ITestOutputHelper output)
{
    private const long Budget = 8 * Sizes.MiB;
    private const long BodyLength = 64L * Sizes.MiB;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // Once the pool passes stop_reading's threshold (1 MiB here) every connection's output stops its
    // feeder at a fair share of it, on the write that crosses: the peak stays near twice the threshold.
    // Before that cap the stage acted one posted command later, and on a quiet machine the upstreams
    // had by then filled every reader's output to buffer_limit (11.4 MiB against the 8 MiB budget).
    [Fact]
    public async Task Stop_reading_holds_the_biggest_holders_so_buffers_stay_under_the_budget_and_every_byte_arrives()
    {
        await using var backend = ScriptedHttpBackend.Start();
        await using var proxy = await ProxyProcess.StartTomlAsync(Toml(backend, "stop_reading = 0.125\ndisable_keepalive = 0\nstop_accepting = 0"), output);

        // Twelve readers would hold about 12 MiB without the stage: past the 8 MiB budget.
        var readers = await SlowHttpReaders.StartAsync(proxy, 12, BodyLength);
        await Progress.WaitForStallAsync(() => backend.BodyBytesSent, TimeSpan.FromSeconds(2), Patience, "backend body");
        var held = await PollAsync(proxy, m => Stage(m, "stop_reading").GetProperty("active").GetBoolean(), "stop_reading entered");
        output.WriteLine($"held: {held}");
        Assert.True(Stage(held, "stop_reading").GetProperty("actions").GetInt64() >= 1, held.ToString());
        Assert.True(held.GetProperty("buffers_in_use_bytes").GetInt64() < Budget, held.ToString());
        var peak = held.GetProperty("buffers_peak_bytes").GetInt64();
        Assert.True(peak < Budget / 2, $"buffers peaked at {peak} bytes: the fair-share cap should keep them near twice the 1 MiB threshold, far under the {Budget}-byte budget\n{held}");
        Assert.Equal(0, held.GetProperty("overload").GetProperty("trips").GetInt64());
        Assert.NotNull(proxy.FindLog("overload: stop_reading entered, reading paused for the connections holding the most buffered bytes"));
        Assert.Equal(200, (await HttpExchange.GetAsync(proxy.ListenerAddress(), "/")).Status);

        // Every held response goes on once read: all bytes of every body arrive.
        var received = await Task.WhenAll(readers.Select(reader => SlowHttpReaders.ReadToEndAsync(reader, BodyLength)));
        Assert.All(received, bytes => Assert.True(bytes >= BodyLength, $"a reader got {bytes} bytes"));
        readers.ForEach(r => r.Dispose());
        var after = await PollAsync(proxy, m => !Stage(m, "stop_reading").GetProperty("active").GetBoolean()
            && m.GetProperty("buffers_in_use_bytes").GetInt64() < Sizes.MiB, "stop_reading left and buffers back");
        Assert.True(Stage(after, "stop_reading").GetProperty("trips").GetInt64() >= 1, after.ToString());
        Assert.NotNull(proxy.FindLog("overload: stop_reading left"));
        Assert.Contains("meshedge_overload_stage_trips_total{stage=\"stop_reading\"}", await proxy.AdminGetAsync("/metrics"), StringComparison.Ordinal);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Keep_alive_ends_and_accepting_pauses_under_pressure_and_both_come_back()
    {
        await using var backend = ScriptedHttpBackend.Start();
        await using var proxy = await ProxyProcess.StartTomlAsync(Toml(backend, "stop_reading = 0\ndisable_keepalive = 0.1\nstop_accepting = 0.2"), output);

        var idle = new List<RawHttpClient>();
        for (var i = 0; i < 10; i++)
        {
            var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());
            await client.SendAsync(HttpExchange.Request("GET", "/", "test"));
            Assert.Equal(200, (await client.ReadResponseAsync()).Status);
            idle.Add(client);
        }

        // A request in flight when the stage enters: its response says connection: close.
        using var busy = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());
        await busy.SendAsync(HttpExchange.Request("GET", "/", "test", "x-action: delay:6000"));

        var readers = await SlowHttpReaders.StartAsync(proxy, 4, BodyLength);
        var tripped = await PollAsync(proxy, m => Stage(m, "disable_keepalive").GetProperty("active").GetBoolean()
            && Stage(m, "stop_accepting").GetProperty("active").GetBoolean(), "disable_keepalive and stop_accepting entered");
        output.WriteLine($"tripped: {tripped}");
        Assert.True(Stage(tripped, "disable_keepalive").GetProperty("actions").GetInt64() >= 10, tripped.ToString());
        foreach (var client in idle)
        {
            Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "an idle keep-alive connection was not closed");
        }

        var busyResponse = await busy.ReadResponseAsync();
        Assert.Equal(200, busyResponse.Status);
        Assert.Equal("close", busyResponse.Head.Get("connection"));

        // A new connection is not accepted while the stage lasts; its request waits, and is answered after.
        using var waiting = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());
        await waiting.SendAsync(HttpExchange.Request("GET", "/", "test"));
        var answer = waiting.ReadResponseAsync();
        await Task.Delay(1000);
        Assert.False(answer.IsCompleted, "a connection was accepted while stop_accepting was in effect");
        Assert.NotNull(proxy.FindLog("overload: stop_accepting entered, listeners paused, new connections wait in the kernel's queue"));

        readers.ForEach(r => r.Dispose());
        Assert.Equal(200, (await answer).Status);
        var after = await PollAsync(proxy, m => !Stage(m, "stop_accepting").GetProperty("active").GetBoolean()
            && !Stage(m, "disable_keepalive").GetProperty("active").GetBoolean(), "both stages left");
        Assert.Equal(0, after.GetProperty("overload").GetProperty("trips").GetInt64());
        Assert.NotNull(proxy.FindLog("overload: disable_keepalive left"));
        var reused = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());
        await reused.SendAsync(HttpExchange.Request("GET", "/", "test"));
        Assert.Null((await reused.ReadResponseAsync()).Head.Get("connection"));
        reused.Dispose();
        idle.ForEach(c => c.Dispose());
        await proxy.StopCleanlyAsync();
    }

    private static Task<JsonElement> PollAsync(ProxyProcess proxy, Func<JsonElement, bool> done, string what) =>
        proxy.PollMemoryAsync(done, what, Patience);

    private static JsonElement Stage(JsonElement memory, string name) => memory.GetProperty("overload").GetProperty("stages").GetProperty(name);

    private static string Toml(ScriptedHttpBackend backend, string stages) => OverloadToml.Config("8MiB", stages, backend.EndPoint);
}
