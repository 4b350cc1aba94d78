using System.Diagnostics;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// SIGTERM/SIGINT: stop accepting at once, let open connections finish up to drain_timeout, then close
/// what is left and exit 0. Liveness bounds are generous; the only clock assertions are that the proxy
/// exits well before a 30s drain timeout when nothing is left, and not before a 1s one when something is.
/// </summary>
public sealed class DrainTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RefusalDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task SigtermRefusesNewConnectionsAndLetsOpenOnesFinish()
    {
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.DrainTimeout = "30s";
        await using var proxy = await ProxyProcess.StartAsync(config, output);
        var address = proxy.ListenerAddress();

        using var open = await Loopback.ConnectAsync(address);
        await Loopback.AssertEchoesAsync(open, "before SIGTERM");

        proxy.Signal(Libc.SigTerm);
        await proxy.WaitForLogAsync("draining", TimeSpan.FromSeconds(10));
        await AssertNewConnectionsRefusedAsync(proxy, address);

        await Loopback.AssertEchoesAsync(open, "while draining");
        open.Dispose();

        // Well before the 30s drain timeout: the drain ends when the last connection does.
        var exitCode = await proxy.WaitForExitAsync(TimeSpan.FromSeconds(20));
        proxy.AssertCleanExit(exitCode);
        Assert.Equal(1, proxy.ListenerStats().RequireLong("cx_total"));
    }

    [Fact]
    public async Task DrainTimeoutClosesWhatIsStillOpen()
    {
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.DrainTimeout = "1s";
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        using var open = await Loopback.ConnectAsync(proxy.ListenerAddress());
        await Loopback.AssertEchoesAsync(open, "held open through the drain");

        var clock = Stopwatch.StartNew();
        proxy.Signal(Libc.SigTerm);
        var exitCode = await proxy.WaitForExitAsync(TimeSpan.FromSeconds(20));
        var elapsed = clock.Elapsed;

        proxy.AssertCleanExit(exitCode);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(800), $"exited {elapsed.TotalMilliseconds:0}ms after SIGTERM, before the 1s drain timeout ran out");
        Assert.True(await Loopback.WaitForCloseAsync(open, TimeSpan.FromSeconds(5)), "the held connection was not closed at exit");
        Assert.True(await Progress.WaitUntilAsync(() => echo.Closed == 1, TimeSpan.FromSeconds(5)), "the upstream side was not closed at exit");
    }

    [Fact]
    public async Task SigintDrainsAndExitsLikeSigterm()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForTcpProxy(echo.EndPoint), output);
        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            await Loopback.AssertEchoesAsync(client, "before SIGINT");
        }

        proxy.Signal(Libc.SigInt);
        await proxy.WaitForLogAsync("draining", TimeSpan.FromSeconds(10));
        proxy.AssertCleanExit(await proxy.WaitForExitAsync(ProxyProcess.ExitTimeout));
    }

    /// <summary>
    /// The listening sockets close on SIGTERM; a connect racing that close may still be accepted by the
    /// kernel, so wait for the first refusal, then require every further attempt to be refused.
    /// </summary>
    private static async Task AssertNewConnectionsRefusedAsync(ProxyProcess proxy, System.Net.IPEndPoint address)
    {
        var clock = Stopwatch.StartNew();
        while (!await Loopback.IsRefusedAsync(address))
        {
            Assert.True(clock.Elapsed < RefusalDeadline, $"new connections still accepted {RefusalDeadline.TotalSeconds}s after \"draining\"\n{proxy.Describe()}");
            await Task.Delay(50);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.True(await Loopback.IsRefusedAsync(address), $"a connect was accepted after an earlier one was refused\n{proxy.Describe()}");
        }
    }
}
