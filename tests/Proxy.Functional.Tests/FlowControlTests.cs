using System.Net.Sockets;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// buffer_limit back-pressure: when one side stops reading, the proxy must stop reading the other side
/// instead of buffering. The evidence is twofold: the sender stalls long before it has sent everything
/// (kernel socket buffers on the path hold tens of MiB at most, the payload is 256 MiB), and the proxy's
/// RSS stays far below the payload while it is stalled.
/// </summary>
public sealed class FlowControlTests(ITestOutputHelper output)
{
    private const long PayloadLength = 256L * Sizes.MiB;
    private const long RssBound = 100L * Sizes.MiB;
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SlowClientPausesUpstreamAndProxyMemoryStaysBounded()
    {
        await using var source = SourceServer.Start(PayloadLength);
        await using var proxy = await ProxyProcess.StartAsync(LimitedConfig(source.EndPoint), output);
        var startupRss = proxy.ResidentSetBytes;

        using var client = await Loopback.ConnectAsync(proxy.ListenerAddress());
        long stalledAt;
        long peakRss;
        await using (var rss = ResidentSetSampler.Start(proxy.Pid))
        {
            stalledAt = await Progress.WaitForStallAsync(() => source.BytesSent, QuietPeriod, StallTimeout, "upstream source");
            await Task.Delay(TimeSpan.FromSeconds(1)); // stay stalled a little longer while RSS is sampled
            peakRss = rss.Peak;
        }

        output.WriteLine($"upstream stalled after {stalledAt} bytes; proxy RSS {startupRss} at start, peak {peakRss}");
        Assert.True(stalledAt < PayloadLength, $"upstream sent all {PayloadLength} bytes to a client that reads nothing: the proxy buffered it all\n{proxy.Describe()}");
        Assert.True(peakRss < RssBound, $"proxy RSS peaked at {peakRss} bytes (bound {RssBound}) with a non-reading client\n{proxy.Describe()}");

        // Now read: everything arrives, in order, and the upstream finishes.
        var received = new PatternVerifier();
        using (var deadline = new CancellationTokenSource(TransferTimeout))
        {
            await Loopback.ReceiveToEndAsync(client, received, deadline.Token);
        }

        received.AssertExactly(PayloadLength, "client after resuming reads");
        client.Dispose();
        await proxy.StopCleanlyAsync();
        source.Backend.AssertNoErrors();
    }

    [Fact]
    public async Task SlowUpstreamPausesClientAndProxyMemoryStaysBounded()
    {
        await using var sink = SinkServer.StartPaused();
        await using var proxy = await ProxyProcess.StartAsync(LimitedConfig(sink.EndPoint), output);
        var startupRss = proxy.ResidentSetBytes;

        using var client = await Loopback.ConnectAsync(proxy.ListenerAddress());
        var sender = new PatternSender();
        using var sendDeadline = new CancellationTokenSource(StallTimeout + TransferTimeout);
        var sending = sender.SendAsync(client, PayloadLength, sendDeadline.Token);
        long stalledAt;
        long peakRss;
        await using (var rss = ResidentSetSampler.Start(proxy.Pid))
        {
            stalledAt = await Progress.WaitForStallAsync(() => sender.BytesSent, QuietPeriod, StallTimeout, "client sender");
            await Task.Delay(TimeSpan.FromSeconds(1));
            peakRss = rss.Peak;
        }

        output.WriteLine($"client stalled after {stalledAt} bytes; proxy RSS {startupRss} at start, peak {peakRss}");
        Assert.True(stalledAt < PayloadLength, $"client sent all {PayloadLength} bytes to an upstream that reads nothing: the proxy buffered it all\n{proxy.Describe()}");
        Assert.True(peakRss < RssBound, $"proxy RSS peaked at {peakRss} bytes (bound {RssBound}) with a non-reading upstream\n{proxy.Describe()}");

        sink.Resume();
        await sending;
        client.Shutdown(SocketShutdown.Send);
        var received = await sink.NextResultAsync(TransferTimeout);
        received.AssertExactly(PayloadLength, "upstream after resuming reads");
        Assert.True(
            await Loopback.WaitForCloseAsync(client, TimeSpan.FromSeconds(15)),
            $"client was not closed after the upstream closed\n{proxy.Describe()}");

        client.Dispose();
        await proxy.StopCleanlyAsync();
        sink.Backend.AssertNoErrors();
    }

    private static ProxyConfig LimitedConfig(System.Net.IPEndPoint upstream)
    {
        var config = ProxyConfig.ForTcpProxy(upstream);
        config.Listener.BufferLimit = "1MiB";
        return config;
    }
}
