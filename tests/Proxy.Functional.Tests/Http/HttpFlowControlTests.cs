using System.Net;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>
/// A client that stops reading a large response pauses the upstream; the proxy buffers at most
/// buffer_limit of the body (plus one read), counted as in <see cref="FlowControlTests"/>: once the
/// backend has stalled, the body bytes it sent are either queued in the kernel on either side of the
/// proxy (read from /proc/net/tcp) or in the proxy.
/// </summary>
public sealed class HttpFlowControlTests(ITestOutputHelper output)
{
    private const long BodyLength = 256L * Sizes.MiB;
    private const long BufferLimit = 1 * Sizes.MiB;

    [Fact]
    public async Task A_client_that_stops_reading_pauses_the_upstream_and_memory_stays_bounded()
    {
        await using var backend = ScriptedHttpBackend.Start();
        var toml = HttpToml.WithListenerSettings(
            HttpToml.Config(HttpToml.CatchAll(routeExtras: "timeout = \"120s\""), HttpToml.Cluster("app", backend.EndPoint)),
            "buffer_limit = \"1MiB\"");
        await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);
        var startupRss = proxy.ResidentSetBytes;
        using var client = await Loopback.ConnectAsync(proxy.ListenerAddress());
        await Loopback.SendAllAsync(client, System.Text.Encoding.ASCII.GetBytes(HttpExchange.Request("GET", "/", "test", $"x-action: big:{BodyLength}")));

        long stalledAt;
        long peakRss;
        StallAccount account;
        await using (var rss = ResidentSetSampler.Start(proxy.Pid))
        {
            stalledAt = await Progress.WaitForStallAsync(() => backend.BodyBytesSent, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), "backend body");
            // Body bytes only: the response heads on either side are not counted, and the proxy's, queued
            // towards the client, only makes the proxy's share look smaller by its few dozen bytes.
            account = new StallAccount(
                stalledAt,
                KernelTcpQueues.InFlight(backend.EndPoint.Port, KernelTcpQueues.PeerPortOf(backend.EndPoint.Port)),
                KernelTcpQueues.InFlight(proxy.ListenerAddress().Port, ((IPEndPoint)client.LocalEndPoint!).Port));
            Assert.Equal(stalledAt, backend.BodyBytesSent); // still stalled: the readings are of one state
            await Task.Delay(TimeSpan.FromSeconds(1));
            peakRss = rss.Peak;
        }

        output.WriteLine($"backend stalled: {account}; proxy RSS {startupRss} before the client connected, peak {peakRss}");
        account.AssertProxyHeldWithin(BufferLimit, proxy.Describe());
        ProxyMemory.AssertGrowthWithin(startupRss, peakRss, BufferLimit, proxy.Describe());

        var received = 0L;
        var buffer = new byte[256 * 1024];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var headEnd = -1;
        while (headEnd < 0 || received - headEnd < BodyLength)
        {
            var n = await client.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, deadline.Token);
            Assert.True(n > 0, $"closed after {received} bytes");
            if (headEnd < 0)
            {
                var end = buffer.AsSpan(0, n).IndexOf("\r\n\r\n"u8);
                headEnd = end < 0 ? -1 : (int)received + end + 4;
            }

            received += n;
        }

        Assert.Equal(BodyLength, received - headEnd);
        client.Dispose();
        await proxy.StopCleanlyAsync();
        backend.AssertNoErrors();
    }
}
