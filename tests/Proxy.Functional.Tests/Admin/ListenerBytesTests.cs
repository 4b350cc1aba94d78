using System.Text;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Admin;

/// <summary>
/// A listener's byte counters move with the bytes, as Envoy's downstream_cx_rx_bytes_total does: /stats
/// and /metrics show the traffic of a keep-alive connection while it is still open, and its close adds
/// nothing more (no byte is counted twice).
/// </summary>
public sealed class ListenerBytesTests(ITestOutputHelper output)
{
    private const string Listener = "inbound";

    private static readonly string Toml = HttpToml.WithAdmin(HttpToml.Config("""
        [[listeners.http.virtual_hosts]]
        name = "all"
        domains = ["*"]
        routes = [{ match = { path = "/hello" }, direct_response = { status = 200, body = "hi" } }]
        """));

    private const string Request = "GET /hello HTTP/1.1\r\nHost: test\r\nUser-Agent: listener-bytes-test\r\n\r\n";

    [Fact]
    public async Task Bytes_of_a_connection_kept_open_show_before_it_closes()
    {
        await using var proxy = await ProxyProcess.StartTomlAsync(Toml, output);
        var requestBytes = Encoding.Latin1.GetByteCount(Request);
        long sentAfterOne;
        using (var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress(Listener)))
        {
            await client.SendAsync(Request);
            Assert.Equal("hi", (await client.ReadResponseAsync()).BodyText);
            var open = await proxy.AdminListenerStatsAsync(Listener);
            output.WriteLine($"one request on an open connection: {open}");
            Assert.Equal(1, open.GetProperty("cx_active").GetInt64());
            Assert.Equal(requestBytes, open.GetProperty("bytes_rx").GetInt64());
            sentAfterOne = open.GetProperty("bytes_tx").GetInt64();
            Assert.True(sentAfterOne > "HTTP/1.1 200 OK\r\n\r\nhi".Length, open.ToString());

            await client.SendAsync(Request);
            Assert.Equal("hi", (await client.ReadResponseAsync()).BodyText);
            var metrics = await proxy.AdminGetAsync("/metrics");
            Assert.Contains($"meshedge_listener_bytes_total{{listener=\"{Listener}\",direction=\"rx\"}} {2 * requestBytes}", metrics, StringComparison.Ordinal);
            Assert.Contains($"meshedge_listener_bytes_total{{listener=\"{Listener}\",direction=\"tx\"}} {2 * sentAfterOne}", metrics, StringComparison.Ordinal);
        }

        var closed = await WaitForClosedAsync(proxy);
        Assert.Equal(2 * requestBytes, closed.GetProperty("bytes_rx").GetInt64());
        Assert.Equal(2 * sentAfterOne, closed.GetProperty("bytes_tx").GetInt64());
        await proxy.StopCleanlyAsync();
    }

    private static async Task<System.Text.Json.JsonElement> WaitForClosedAsync(ProxyProcess proxy)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var stats = await proxy.AdminListenerStatsAsync(Listener);
            if (stats.GetProperty("cx_active").GetInt64() == 0 || DateTime.UtcNow > deadline)
            {
                Assert.Equal(0, stats.GetProperty("cx_active").GetInt64());
                return stats;
            }

            await Task.Delay(50);
        }
    }
}
