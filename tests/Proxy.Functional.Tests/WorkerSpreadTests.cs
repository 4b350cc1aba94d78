using System.Net.Sockets;
using System.Text;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// With two workers every connection must be proxied whichever worker accepts it. Each worker has its
/// own SO_REUSEPORT socket and the kernel spreads connections over them by a hash of the addresses;
/// /stats "per_worker" shows that each worker accepted some, and the merged stats that none was lost.
/// </summary>
public sealed class WorkerSpreadTests(ITestOutputHelper output)
{
    private const int Connections = 100;

    [Fact]
    public async Task HundredConnectionsAreSpreadOverTwoWorkersAndAllProxied()
    {
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.Workers = 2;
        config.AdminAddress = "127.0.0.1:0";
        await using var proxy = await ProxyProcess.StartAsync(config, output);
        Assert.Equal("2", proxy.FindLog("meshedge started")!.Get("workers"));
        var address = proxy.ListenerAddress();

        // All open at once so the kernel has to hand them to both workers' accept queues.
        var clients = await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => Loopback.ConnectAsync(address)));
        long totalBytes = 0;
        try
        {
            var messages = clients.Select((_, index) => $"connection {index:D3} says hello").ToArray();
            totalBytes = messages.Sum(message => (long)Encoding.ASCII.GetByteCount(message));
            await Task.WhenAll(clients.Select((client, index) => Loopback.AssertEchoesAsync(client, messages[index])));
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        Assert.True(
            await Progress.WaitUntilAsync(() => echo.Closed == Connections, TimeSpan.FromSeconds(15)),
            $"upstream connections closed: {echo.Closed} of {Connections}\n{proxy.Describe()}");

        // Both workers took part. With the kernel's hash over 100 different client ports, one worker
        // getting none happens by chance once in 2^99 runs; it happens every time if a worker's socket
        // is missing or never watched.
        var workers = await proxy.WorkerCountersAsync();
        var spread = string.Join("\n", workers.Select(worker => worker.ToString()));
        output.WriteLine(spread);
        Assert.Equal([0, 1], workers.Select(worker => worker.Worker));
        Assert.All(workers, worker => Assert.True(worker.Accepted["inbound"] > 0, $"worker {worker.Worker} accepted no connection\n{spread}"));
        Assert.Equal(Connections, workers.Sum(worker => worker.Accepted["inbound"]));
        await proxy.StopCleanlyAsync();

        echo.AssertNoErrors();
        var listener = proxy.ListenerStats();
        Assert.Equal(Connections, listener.RequireLong("cx_total"));
        Assert.Equal(0, listener.RequireLong("cx_active"));
        Assert.Equal(totalBytes, listener.RequireLong("bytes_rx"));
        Assert.Equal(totalBytes, listener.RequireLong("bytes_tx"));
        Assert.Equal(Connections, proxy.ClusterStats().RequireLong("upstream_cx_total"));
    }
}
