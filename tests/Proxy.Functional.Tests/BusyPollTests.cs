using System.Net.Sockets;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// runtime.busy_poll: a worker that just had events polls instead of sleeping for a while, and
/// then sleeps like any other. Traffic is unchanged; an idle proxy burns nothing. Whether a worker
/// polled is read from its own count of the epoll_waits busy polling made non-blocking
/// (/stats "per_worker", busy_poll_waits), with and without busy_poll over the same traffic, and
/// from the kernel's count of the times the worker threads blocked (voluntary context switches).
/// </summary>
public sealed class BusyPollTests(ITestOutputHelper output)
{
    /// <summary>Ping-pong round trips of 100 bytes over one proxied connection.</summary>
    private const int Rounds = 2000;

    [Fact]
    public async Task ABusyPollingWorkerPollsUnderLoadAndSleepsWhenIdle()
    {
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.BusyPoll = "10ms";
        config.AdminAddress = "127.0.0.1:0";
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        var (busyPolls, epollWaits, sleeps) = await CarryTrafficAsync(proxy);

        // Each turn that found events is followed by a turn that would have slept (waiting for the
        // echo server's reply, then for the client's next message) and polls instead: at least two
        // per round trip. Half that leaves room for a worker preempted for longer than busy_poll.
        Assert.True(busyPolls >= Rounds, $"{busyPolls} busy-poll waits in {epollWaits} epoll_waits over {Rounds} round trips\n{proxy.Describe()}");

        // And the kernel agrees that the worker did not sleep: a worker that blocks in epoll_wait
        // does so about twice per round trip (see the test without busy_poll); one that polls
        // sleeps only when nothing came for 10 ms, which a loopback round trip takes far less than.
        Assert.True(sleeps < Rounds, $"the worker threads slept {sleeps} times over {Rounds} round trips");

        // The same count on /metrics (read later, so at least as high).
        var metrics = (await proxy.AdminGetAsync("/metrics")).Split('\n');
        var exported = metrics.Where(line => line.StartsWith("meshedge_worker_busy_poll_waits_total{", StringComparison.Ordinal))
            .Sum(line => (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(exported >= busyPolls, $"/metrics meshedge_worker_busy_poll_waits_total sums to {exported}, /stats said {busyPolls}");

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

    [Fact]
    public async Task WithoutBusyPollAWorkerNeverPolls()
    {
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.AdminAddress = "127.0.0.1:0";
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        var (busyPolls, epollWaits, sleeps) = await CarryTrafficAsync(proxy);

        // The loop did count its turns (two or more per round trip), none of them a busy poll; the
        // worker slept waiting for each message (for the echo server's reply, for the client's next).
        Assert.True(epollWaits >= Rounds, $"{epollWaits} epoll_waits over {Rounds} round trips\n{proxy.Describe()}");
        Assert.Equal(0, busyPolls);
        Assert.True(sleeps >= Rounds, $"the worker threads slept {sleeps} times over {Rounds} round trips");
        await proxy.StopCleanlyAsync();
    }

    /// <summary>
    /// The round trips over one connection; returns the busy-poll waits and epoll_waits the workers
    /// counted meanwhile (the reading before and after is itself an admin request, served by a
    /// worker) and how often the worker threads blocked.
    /// </summary>
    private async Task<(long BusyPolls, long EpollWaits, long Sleeps)> CarryTrafficAsync(ProxyProcess proxy)
    {
        var before = await proxy.WorkerCountersAsync();
        var sleepsBefore = ProcessReadings.ReadVoluntarySwitches(proxy.Pid, "meshedge-worker");
        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            var sent = new byte[100];
            var received = new byte[sent.Length];
            for (var round = 0; round < Rounds; round++)
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

        var sleeps = ProcessReadings.ReadVoluntarySwitches(proxy.Pid, "meshedge-worker") - sleepsBefore;
        var after = await proxy.WorkerCountersAsync();
        var busyPolls = after.Sum(w => w.BusyPollWaits) - before.Sum(w => w.BusyPollWaits);
        var epollWaits = after.Sum(w => w.EpollWaits) - before.Sum(w => w.EpollWaits);
        output.WriteLine($"over {Rounds} round trips: {epollWaits} epoll_waits, {busyPolls} of them busy polls; worker threads slept {sleeps} times");
        foreach (var worker in after)
        {
            output.WriteLine(worker.ToString());
        }

        return (busyPolls, epollWaits, sleeps);
    }
}
