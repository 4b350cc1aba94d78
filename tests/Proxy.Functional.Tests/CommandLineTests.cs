using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>The command-line surface: commands, options, exit codes and config formats.</summary>
public sealed class CommandLineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task VersionPrintsAndExitsZero()
    {
        var result = await MeshEdgeCli.RunAsync(output, "version");

        Assert.True(result.ExitCode == 0, result.Description);
        Assert.True(result.Stdout.Any(line => line.Trim().Length > 0), $"version printed nothing on stdout\n{result}");
    }

    [Fact]
    public async Task HelpPrintsUsageOnStdoutAndExitsZero()
    {
        var result = await MeshEdgeCli.RunAsync(output, "--help");

        Assert.True(result.ExitCode == 0, result.Description);
        Assert.True(
            result.Stdout.Any(line => line.Contains("usage", StringComparison.OrdinalIgnoreCase)),
            $"--help printed no usage on stdout\n{result}");
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("run", "--no-such-option")]
    [InlineData("--no-such-option")]
    public async Task UnknownCommandOrOptionIsAUsageError(params string[] arguments)
    {
        var result = await MeshEdgeCli.RunAsync(output, arguments);

        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}, expected 2\n{result}");
        Assert.True(result.Stderr.Any(line => line.Trim().Length > 0), $"usage error printed nothing on stderr\n{result}");
        Assert.True(!result.Stderr.Any(line => line.Contains("   at ", StringComparison.Ordinal)), $"stack trace on stderr\n{result}");
    }

    [Fact]
    public async Task PlainConfigOptionWithoutRunStartsTheProxy()
    {
        await using var echo = EchoServer.Start();
        using var directory = new TempDirectory();
        var path = directory.Write("meshedge.toml", ProxyConfig.ForTcpProxy(echo.EndPoint).ToToml());
        await using var proxy = ProxyProcess.Launch(["-c", path], output);
        await proxy.WaitUntilStartedAsync();

        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            await Loopback.AssertEchoesAsync(client, "started without the run command");
        }

        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task JsonConfigRunsTheProxy()
    {
        await using var echo = EchoServer.Start();
        using var directory = new TempDirectory();
        var path = directory.Write("meshedge.json", ProxyConfig.ForTcpProxy(echo.EndPoint).ToJson());
        await using var proxy = ProxyProcess.Launch(["run", "-c", path], output);
        await proxy.WaitUntilStartedAsync();

        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            await Loopback.AssertEchoesAsync(client, "configured from JSON");
        }

        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task WorkersOptionOverridesTheConfig()
    {
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.Workers = 2;
        await using var proxy = await ProxyProcess.StartAsync(config, output, "--workers", "1", "--log-level", "info");

        Assert.Equal("1", proxy.FindLog("meshedge started")!.Get("workers"));
        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            await Loopback.AssertEchoesAsync(client, "one worker");
        }

        await proxy.StopCleanlyAsync();
    }
}
