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
public sealed class UpgradeFailureTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _uds = new();
    private readonly TcpBackend _echo = EchoServer.Start();

    // Line 2 of the harness's TOML, value at column 11.
    private const string BrokenWorkers = "workers = \"two\"";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _echo.DisposeAsync();
        _uds.Dispose();
    }

    [Fact]
    public async Task SighupWithAnInvalidConfigKeepsTheOldProcessServing()
    {
        await using var proxy = await ProxyProcess.StartAsync(Config(_uds.Path), output);
        using var open = await Loopback.ConnectAsync(proxy.ListenerAddress());
        await Loopback.AssertEchoesAsync(open, "before the broken upgrade");

        File.WriteAllText(proxy.ConfigPath, File.ReadAllText(proxy.ConfigPath).Replace("workers = 2", BrokenWorkers));
        proxy.Signal(Libc.SigHup);
        var failed = await proxy.WaitForLogAsync("upgrade failed", TimeSpan.FromSeconds(30));

        Assert.Equal($"{proxy.ConfigPath}:2:11: runtime.workers: expected an integer, got string", failed.Get("reason"));
        Assert.Equal("2", failed.Get("exit_code"));
        Assert.False(proxy.HasExited);
        await AssertStillServingAsync(proxy, open, "after the broken upgrade");

        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task UpgradeByHandWithABrokenConfigExitsTwoAndLeavesTheRunningOneAlone()
    {
        await using var proxy = await ProxyProcess.StartAsync(Config(_uds.Path), output);
        using var open = await Loopback.ConnectAsync(proxy.ListenerAddress());

        var good = File.ReadAllText(proxy.ConfigPath);
        File.WriteAllText(proxy.ConfigPath, good.Replace("workers = 2", BrokenWorkers));
        var result = await MeshEdgeCli.RunAsync(output, "run", "-c", proxy.ConfigPath, "--upgrade");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(result.Stderr, line => line.Contains("runtime.workers: expected an integer, got string", StringComparison.Ordinal));
        Assert.Null(proxy.FindLog("upgrade: successor connected"));
        await AssertStillServingAsync(proxy, open, "after the refused upgrade");

        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task HandoffSocketIsOwnerOnlyAndAHandStartedUpgradeTakesOver()
    {
        var socketDir = Path.Combine(_uds.Path, "created-by-meshedge");
        var config = Config(socketDir);

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

    /// <summary>A tcp_proxy listener to the echo server, its hand-off socket in <paramref name="udsDir"/>.</summary>
    private ProxyConfig Config(string udsDir)
    {
        var config = ProxyConfig.ForTcpProxy(_echo.EndPoint);
        config.UdsDir = udsDir;
        return config;
    }

    /// <summary>The connection open before a failed upgrade still echoes, and a new one is accepted and echoes.</summary>
    private static async Task AssertStillServingAsync(ProxyProcess proxy, Socket open, string when)
    {
        await Loopback.AssertEchoesAsync(open, when);
        using var fresh = await Loopback.ConnectAsync(proxy.ListenerAddress());
        await Loopback.AssertEchoesAsync(fresh, "new connection " + when);
    }
}
