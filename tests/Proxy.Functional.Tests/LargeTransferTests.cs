using System.Net.Sockets;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>256 MiB each way through one connection, checked byte by byte against the test pattern.</summary>
public sealed class LargeTransferTests(ITestOutputHelper output)
{
    private const long TransferLength = 256L * Sizes.MiB;
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task UpstreamToClientTransferIsByteExact()
    {
        await using var source = SourceServer.Start(TransferLength);
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForTcpProxy(source.EndPoint), output);

        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            var received = new PatternVerifier();
            using var deadline = new CancellationTokenSource(TransferTimeout);
            await Loopback.ReceiveToEndAsync(client, received, deadline.Token);
            received.AssertExactly(TransferLength, "client");
        }

        Assert.True(
            await Progress.WaitUntilAsync(() => source.Backend.Closed == 1, TimeSpan.FromSeconds(15)),
            $"the source's connection was not closed after the client closed\n{proxy.Describe()}");
        await proxy.StopCleanlyAsync();
        source.Backend.AssertNoErrors();
        Assert.Equal(TransferLength, proxy.ListenerStats().RequireLong("bytes_tx"));
    }

    [Fact]
    public async Task ClientToUpstreamTransferIsByteExact()
    {
        await using var sink = SinkServer.Start();
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForTcpProxy(sink.EndPoint), output);

        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            using var deadline = new CancellationTokenSource(TransferTimeout);
            await new PatternSender().SendAsync(client, TransferLength, deadline.Token);
            client.Shutdown(SocketShutdown.Send);

            var received = await sink.NextResultAsync(TransferTimeout);
            received.AssertExactly(TransferLength, "sink");
            Assert.True(
                await Loopback.WaitForCloseAsync(client, TimeSpan.FromSeconds(15)),
                $"client was not closed after the sink closed\n{proxy.Describe()}");
        }

        await proxy.StopCleanlyAsync();
        sink.Backend.AssertNoErrors();
        Assert.Equal(TransferLength, proxy.ListenerStats().RequireLong("bytes_rx"));
    }
}
