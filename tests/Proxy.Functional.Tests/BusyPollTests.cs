using System.Net.Sockets;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// runtime.busy_poll: a worker that just had events polls instead of sleeping for a while, and
/// then sleeps like any other. Traffic is unchanged; an idle proxy burns nothing.
/// </summary>
public sealed class BusyPollTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ABusyPollingProxyCarriesTrafficAndSleepsWhenIdle()
    {
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.BusyPoll = "10ms";
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            var sent = new byte[100];
            var received = new byte[sent.Length];
            for (var round = 0; round < 2000; round++)
            {
                Random.Shared.NextBytes(sent);
                await Loopback.SendAllAsync(client, sent, CancellationToken.None);
                var at = 0;
                while (at < received.Length)
                {
                    var n = await client.ReceiveAsync(received.AsMemory(at), SocketFlags.None);
                    Assert.True(n > 0, $"the proxy closed the connection in round {round}");
                    at += n;
                }

                Assert.Equal(sent, received);
            }
        }

        // Idle now (the client closed): the workers poll for at most 10 ms more, then sleep. A worker
        // that kept polling would spend about a second of CPU per second here.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var before = ProcessReadings.ReadCpuTime(proxy.Pid);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var idleCpu = ProcessReadings.ReadCpuTime(proxy.Pid) - before;
        output.WriteLine($"CPU while idle for 2 s: {idleCpu.TotalMilliseconds} ms");
        Assert.True(idleCpu < TimeSpan.FromMilliseconds(400), $"CPU while idle for 2 s: {idleCpu.TotalMilliseconds} ms\n{proxy.Describe()}");

        await proxy.StopCleanlyAsync();
    }
}
