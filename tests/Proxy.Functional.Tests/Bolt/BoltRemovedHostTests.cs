using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// A host that leaves an RPC cluster while a call to it is in flight: the call is answered on the
/// connection it went out on, and that connection closes once the answer is in, whether or not
/// upstream heartbeats are on (their tick used to be the only one that closed it).
/// </summary>
public sealed class BoltRemovedHostTests(ITestOutputHelper output)
{
    private const string Echo = "com.meshedge.Echo:1.0";

    [Theory]
    [InlineData("0s")]
    [InlineData("30s")]
    public async Task A_removed_hosts_busy_connection_closes_after_its_last_answer(string heartbeatInterval)
    {
        await using var first = await BoltServer.StartAsync("first", Echo);
        await using var second = await BoltServer.StartAsync("second", Echo);
        using var directory = new TempDirectory();
        var eds = directory.Write("rpc.json", $$"""{"hosts": ["{{first.EndPoint}}"]}""");
        await using var proxy = await ProxyProcess.StartTomlAsync($$"""
            [runtime]
            workers = 1

            [[listeners]]
            name = "inbound"
            address = "127.0.0.1:0"
            protocol = "bolt"
            [listeners.rpc_proxy]
            cluster = "rpc"
            upstream_heartbeat_interval = "{{heartbeatInterval}}"

            [[clusters]]
            name = "rpc"
            type = "eds"
            eds_path = "{{eds}}"
            """, output);

        // A call that the first host answers 1.5 s from now; the host leaves the cluster meanwhile.
        await using var client = await BoltClient.StartAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "delay", [1500, "slow"], TimeoutMs: 10_000)]);
        await client.SentAsync();
        Assert.True(await Progress.WaitUntilAsync(() => first.Requests == 1, TimeSpan.FromSeconds(10)), "the call never reached the first host");
        Assert.Equal(1, KernelTcpQueues.EstablishedTo(first.EndPoint.Port));
        await File.WriteAllTextAsync(eds, $$"""{"hosts": ["{{second.EndPoint}}"]}""");
        await proxy.WaitForLogAsync("cluster hosts updated", TimeSpan.FromSeconds(10), line => line.Get("version") == "2");

        var run = await client.WaitAsync();
        var result = Assert.Single(run.Results);
        Assert.True(result.Status == BoltStatus.Success && result.Value == "first:slow", $"{result}\n{run.Log}");

        // The answer is in and nothing else is outstanding there: the connection to the removed host goes.
        Assert.True(await Progress.WaitUntilAsync(() => KernelTcpQueues.EstablishedTo(first.EndPoint.Port) == 0, TimeSpan.FromSeconds(5)),
            $"{KernelTcpQueues.EstablishedTo(first.EndPoint.Port)} connection(s) to the removed host still open\n{proxy.Describe()}");
        var next = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["x"])]);
        Assert.Equal("second:x", Assert.Single(next.Results).Value);
        await proxy.StopCleanlyAsync();
    }
}
