using System.Net.Sockets;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// An upgrade that cannot happen leaves the running process serving: a successor with a broken config
/// exits 2 with the reason, and the running one logs "upgrade failed" when it started that successor.
/// Also: the hand-off socket is owner-only, and a hand-started --upgrade takes over or starts alone.
/// </summary>
public sealed class UpgradeFailureTests(ITestOutputHelper output)
{
    // Line 2 of the harness's TOML, value at column 11.
    private const string BrokenWorkers = "workers = \"two\"";

    [Fact]
    public async Task SighupWithAnInvalidConfigKeepsTheOldProcessServing()
    {
        using var uds = new TempDirectory();
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.UdsDir = uds.Path;
        await using var proxy = await ProxyProcess.StartAsync(config, output);
        using var open = await Loopback.ConnectAsync(proxy.ListenerAddress());
        await Loopback.AssertEchoesAsync(open, "before the broken upgrade");

        File.WriteAllText(proxy.ConfigPath, File.ReadAllText(proxy.ConfigPath).Replace("workers = 2", BrokenWorkers));
        proxy.Signal(Libc.SigHup);
        var failed = await proxy.WaitForLogAsync("upgrade failed", TimeSpan.FromSeconds(30));

        Assert.Equal($"{proxy.ConfigPath}:2:11: runtime.workers: expected an integer, got string", failed.Get("reason"));
        Assert.Equal("2", failed.Get("exit_code"));
        Assert.False(proxy.HasExited);
        await Loopback.AssertEchoesAsync(open, "after the broken upgrade");
        using (var fresh = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            await Loopback.AssertEchoesAsync(fresh, "new connection after the broken upgrade");
        }

        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task UpgradeByHandWithABrokenConfigExitsTwoAndLeavesTheRunningOneAlone()
    {
        using var uds = new TempDirectory();
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.UdsDir = uds.Path;
        await using var proxy = await ProxyProcess.StartAsync(config, output);
        using var open = await Loopback.ConnectAsync(proxy.ListenerAddress());

        var good = File.ReadAllText(proxy.ConfigPath);
        File.WriteAllText(proxy.ConfigPath, good.Replace("workers = 2", BrokenWorkers));
        var result = await MeshEdgeCli.RunAsync(output, "run", "-c", proxy.ConfigPath, "--upgrade");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(result.Stderr, line => line.Contains("runtime.workers: expected an integer, got string", StringComparison.Ordinal));
        Assert.Null(proxy.FindLog("upgrade: successor connected"));
        await Loopback.AssertEchoesAsync(open, "after the refused upgrade");
        using (var fresh = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            await Loopback.AssertEchoesAsync(fresh, "new connection after the refused upgrade");
        }

        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task HandoffSocketIsOwnerOnlyAndAHandStartedUpgradeTakesOver()
    {
        using var uds = new TempDirectory();
        var socketDir = Path.Combine(uds.Path, "created-by-meshedge");
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.UdsDir = socketDir;

        // Nothing to take over yet: --upgrade starts normally and says so.
        await using var old = await ProxyProcess.StartAsync(config, output, "--upgrade");
        Assert.NotNull(old.FindLog("--upgrade: no running instance to take over; starting normally"));

        var socket = Assert.Single(Directory.GetFiles(socketDir, "meshedge-*.sock"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(socketDir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
        using var open = await Loopback.ConnectAsync(old.ListenerAddress());
        await Loopback.AssertEchoesAsync(open, "on the old process");

        // A second process with the same config and --upgrade takes the listener over (same port).
        await using var successor = ProxyProcess.Launch(["run", "-c", old.ConfigPath, "--upgrade", "--workers", "3"], output);
        var complete = await successor.WaitForLogAsync("upgrade complete", TimeSpan.FromSeconds(30));
        Assert.Equal(old.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), complete.Get("predecessor_pid"));
        Assert.Equal(old.ListenerAddress(), successor.ListenerAddress());

        // The old process drains its open connection, then exits 0; the socket file stays for the successor.
        await Loopback.AssertEchoesAsync(open, "while the old process drains");
        open.Shutdown(SocketShutdown.Send);
        Assert.True(await Loopback.WaitForCloseAsync(open, TimeSpan.FromSeconds(15)));
        old.AssertCleanExit(await old.WaitForExitAsync(ProxyProcess.ExitTimeout));
        Assert.True(File.Exists(socket));
        using (var fresh = await Loopback.ConnectAsync(successor.ListenerAddress()))
        {
            await Loopback.AssertEchoesAsync(fresh, "on the successor");
        }

        await successor.StopCleanlyAsync();
        Assert.False(File.Exists(socket), "the last owner removes the hand-off socket");
    }
}
