using System.Net;
using System.Net.Sockets;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// buffer_limit back-pressure: when one side stops reading, the proxy must stop reading the other side
/// once the output it feeds passes buffer_limit, instead of buffering. Once the writer has stalled, the
/// bytes it handed its kernel are accounted for (<see cref="StallAccount"/>): those still queued in the
/// kernel on either side of the proxy are read from /proc/net/tcp, whatever size the kernel tuned the
/// socket buffers to, and the rest, the proxy's own buffer, must be at most buffer_limit plus one read.
/// The proxy's RSS may grow by that buffer and no more than a fixed allowance besides.
/// </summary>
public sealed class FlowControlTests(ITestOutputHelper output)
{
    private const long PayloadLength = 256L * Sizes.MiB;
    private const long BufferLimit = 1 * Sizes.MiB;
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
        StallAccount account;
        await using (var rss = ResidentSetSampler.Start(proxy.Pid))
        {
            stalledAt = await Progress.WaitForStallAsync(() => source.BytesSent, QuietPeriod, StallTimeout, "upstream source");
            var proxyUpstreamPort = KernelTcpQueues.PeerPortOf(source.EndPoint.Port);
            account = new StallAccount(
                stalledAt,
                KernelTcpQueues.InFlight(source.EndPoint.Port, proxyUpstreamPort),
                KernelTcpQueues.InFlight(proxy.ListenerAddress().Port, Port(client.LocalEndPoint)));
            Assert.Equal(stalledAt, source.BytesSent); // still stalled: the readings are of one state
            await Task.Delay(TimeSpan.FromSeconds(1)); // stay stalled a little longer while RSS is sampled
            peakRss = rss.Peak;
        }

        output.WriteLine($"upstream stalled: {account}; proxy RSS {startupRss} before the client connected, peak {peakRss}");
        account.AssertProxyHeldWithin(BufferLimit, proxy.Describe());
        ProxyMemory.AssertGrowthWithin(startupRss, peakRss, BufferLimit, proxy.Describe());

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
        StallAccount account;
        await using (var rss = ResidentSetSampler.Start(proxy.Pid))
        {
            stalledAt = await Progress.WaitForStallAsync(() => sender.BytesSent, QuietPeriod, StallTimeout, "client sender");
            var proxyUpstreamPort = KernelTcpQueues.PeerPortOf(sink.EndPoint.Port);
            account = new StallAccount(
                stalledAt,
                KernelTcpQueues.InFlight(Port(client.LocalEndPoint), proxy.ListenerAddress().Port),
                KernelTcpQueues.InFlight(proxyUpstreamPort, sink.EndPoint.Port));
            Assert.Equal(stalledAt, sender.BytesSent);
            await Task.Delay(TimeSpan.FromSeconds(1));
            peakRss = rss.Peak;
        }

        output.WriteLine($"client stalled: {account}; proxy RSS {startupRss} before the client connected, peak {peakRss}");
        account.AssertProxyHeldWithin(BufferLimit, proxy.Describe());
        ProxyMemory.AssertGrowthWithin(startupRss, peakRss, BufferLimit, proxy.Describe());

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

    private static int Port(EndPoint? endPoint) => ((IPEndPoint)endPoint!).Port;

    private static ProxyConfig LimitedConfig(IPEndPoint upstream)
    {
        var config = ProxyConfig.ForTcpProxy(upstream);
        config.Listener.BufferLimit = "1MiB";
        return config;
    }
}
