using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>A client that stops reading a large response pauses the upstream; the proxy does not buffer the body.</summary>
public sealed class HttpFlowControlTests(ITestOutputHelper output)
{
    private const long BodyLength = 256L * Sizes.MiB;
    private const long RssBound = 100L * Sizes.MiB;

    [Fact]
    public async Task A_client_that_stops_reading_pauses_the_upstream_and_memory_stays_bounded()
    {
        await using var backend = ScriptedHttpBackend.Start();
        await using var proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(routeExtras: "timeout = \"120s\""), HttpToml.Cluster("app", backend.EndPoint)), output);
        using var client = await Loopback.ConnectAsync(proxy.ListenerAddress());
        await Loopback.SendAllAsync(client, System.Text.Encoding.ASCII.GetBytes(HttpExchange.Request("GET", "/", "test", $"x-action: big:{BodyLength}")));

        long stalledAt;
        long peakRss;
        await using (var rss = ResidentSetSampler.Start(proxy.Pid))
        {
            stalledAt = await Progress.WaitForStallAsync(() => backend.BodyBytesSent, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), "backend body");
            await Task.Delay(TimeSpan.FromSeconds(1));
            peakRss = rss.Peak;
        }

        Assert.True(stalledAt < BodyLength, $"the backend sent all {BodyLength} bytes to a client that reads nothing");
        Assert.True(peakRss < RssBound, $"proxy RSS peaked at {peakRss} bytes with a non-reading client");

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
