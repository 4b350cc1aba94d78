using System.Net;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>Many connections at once, each carrying its own random payload through the proxy and back.</summary>
public sealed class ConcurrentEchoTests(ITestOutputHelper output)
{
    private const int Connections = 200;
    private const int MaxPayload = 4 * Sizes.MiB;

    [Fact]
    public async Task ConcurrentConnectionsEchoRandomPayloadsByteExact()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForTcpProxy(echo.EndPoint), output);
        var address = proxy.ListenerAddress();

        var sizes = PayloadSizes(new Random(7));
        var clients = sizes.Select((size, index) => EchoOnceAsync(address, size, seed: 1000 + index));
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(120));

        // The clients closed; each upstream connection must follow before the stats are final.
        Assert.True(
            await Progress.WaitUntilAsync(() => echo.Closed == Connections, TimeSpan.FromSeconds(15)),
            $"upstream connections closed: {echo.Closed} of {Connections}\n{proxy.Describe()}");
        await proxy.StopCleanlyAsync();

        echo.AssertNoErrors();
        Assert.Equal(Connections, echo.Accepted);
        long totalBytes = sizes.Sum(size => (long)size);
        var listener = proxy.ListenerStats();
        Assert.Equal(Connections, listener.RequireLong("cx_total"));
        Assert.Equal(0, listener.RequireLong("cx_active"));
        Assert.Equal(0, listener.RequireLong("cx_overflow"));
        Assert.Equal(totalBytes, listener.RequireLong("bytes_rx"));
        Assert.Equal(totalBytes, listener.RequireLong("bytes_tx"));
        var cluster = proxy.ClusterStats();
        Assert.Equal(Connections, cluster.RequireLong("upstream_cx_total"));
        Assert.Equal(0, cluster.RequireLong("upstream_cx_connect_fail"));
    }

    /// <summary>Log-uniform sizes from 1 byte to 4 MiB, with both extremes always present.</summary>
    private static int[] PayloadSizes(Random random)
    {
        var sizes = new int[Connections];
        for (var i = 0; i < sizes.Length; i++)
        {
            sizes[i] = (int)Math.Clamp(Math.Exp(random.NextDouble() * Math.Log(MaxPayload)), 1, MaxPayload);
        }

        sizes[0] = 1;
        sizes[1] = MaxPayload;
        sizes[2] = MaxPayload;
        sizes[3] = MaxPayload - 1;
        return sizes;
    }

    private static async Task EchoOnceAsync(IPEndPoint proxy, int size, int seed)
    {
        var payload = new byte[size];
        new Random(seed).NextBytes(payload);
        using var client = await Loopback.ConnectAsync(proxy);

        // Send and receive together: a payload larger than the socket buffers would deadlock otherwise.
        var sending = Loopback.SendAllAsync(client, payload);
        var echoed = await Loopback.ReceiveExactlyAsync(client, size, TimeSpan.FromSeconds(90));
        await sending;

        var same = payload.AsSpan().CommonPrefixLength(echoed);
        Assert.True(same == size, $"connection {seed}: echo of {size} bytes differs at offset {same}");
    }
}
