using System.Net;
using System.Text.RegularExpressions;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// Config errors are reported one per stderr line as <c>FILE: key.path: reason</c> with exit code 2,
/// by <c>validate</c> and by <c>run</c> alike.
/// </summary>
public sealed class ConfigValidationTests(ITestOutputHelper output) : IDisposable
{
    private static readonly IPEndPoint SomeHost = new(IPAddress.Loopback, 9001);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("toml")]
    [InlineData("json")]
    public async Task ValidateAcceptsAGoodConfig(string format)
    {
        var path = Write("good", format, ProxyConfig.ForTcpProxy(SomeHost));

        var result = await MeshEdgeCli.RunAsync(output, "validate", "-c", path);

        Assert.True(result.ExitCode == 0, result.Description);
        Assert.Contains($"{path}: ok", result.Stdout);
    }

    /// <summary><c>run</c> refuses an invalid config with the same error line and exit code as <c>validate</c>.</summary>
    [Theory]
    [InlineData("validate")]
    [InlineData("run")]
    public async Task ReportsPortOutOfRange(string command)
    {
        var config = ProxyConfig.ForTcpProxy(SomeHost);
        config.Listener.Address = "127.0.0.1:70000";
        var path = Write("bad-port", "toml", config);

        await AssertInvalidAsync([command, "-c", path], path, "listeners[0].address", "port 70000 is out of range");
    }

    [Fact]
    public async Task ValidateReportsUnknownKey()
    {
        var toml = ProxyConfig.ForTcpProxy(SomeHost).ToToml().Replace("\naddress = ", "\nadress = ", StringComparison.Ordinal);
        var path = _directory.Write("unknown-key.toml", toml);

        await AssertInvalidAsync(["validate", "-c", path], path, "listeners[0].adress", "unknown key");
    }

    [Theory]
    [InlineData("toml")]
    [InlineData("json")]
    public async Task ValidateReportsUnknownCluster(string format)
    {
        var config = ProxyConfig.ForTcpProxy(SomeHost);
        config.Listener.Cluster = "nope";
        var path = Write("unknown-cluster", format, config);

        await AssertInvalidAsync(["validate", "-c", path], path, "listeners[0].tcp_proxy.cluster", "unknown cluster \"nope\"");
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("run")]
    public async Task MissingConfigFileIsNamedInTheError(string command)
    {
        var path = _directory.PathOf("does-not-exist.toml");

        var result = await MeshEdgeCli.RunAsync(output, command, "-c", path);

        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}, expected 2\n{result}");
        Assert.True(result.Stderr.Any(line => line.Contains(path, StringComparison.Ordinal)), $"no stderr line names {path}\n{result}");
    }

    [Fact]
    public async Task ValidateRejectsBufferLimitBelowMinimum()
    {
        var config = ProxyConfig.ForTcpProxy(SomeHost);
        config.Listener.BufferLimit = "1KiB";
        var path = _directory.Write("small-buffer.toml", config.ToToml());

        var result = await MeshEdgeCli.RunAsync(output, "validate", "-c", path);

        // The reason text is not part of the contract; the key path and the exit code are.
        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}, expected 2 for buffer_limit below 16384 bytes\n{result}");
        Assert.True(
            result.Stderr.Any(line => ErrorLine(path, "listeners[0].buffer_limit", string.Empty).IsMatch(line)),
            $"no error line for listeners[0].buffer_limit\n{result}");
    }

    /// <summary>Writes <paramref name="config"/> as <paramref name="format"/> ("toml" or "json") to NAME.FORMAT and returns its path.</summary>
    private string Write(string name, string format, ProxyConfig config) =>
        _directory.Write($"{name}.{format}", format == "json" ? config.ToJson() : config.ToToml());

    /// <summary>
    /// An error line is <c>FILE[:LINE:COL]: key.path: reason</c>, where the reason may go on with
    /// detail (an allowed range, a "did you mean" hint); the position is there when the format knows it.
    /// </summary>
    private static Regex ErrorLine(string path, string keyPath, string reason) =>
        new($"^{Regex.Escape(path)}(:[0-9]+:[0-9]+)?: {Regex.Escape(keyPath)}: {Regex.Escape(reason)}");

    private async Task AssertInvalidAsync(string[] arguments, string path, string keyPath, string reason)
    {
        var result = await MeshEdgeCli.RunAsync(output, arguments);
        var expected = ErrorLine(path, keyPath, reason);

        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}, expected 2\n{result}");
        Assert.True(result.Stderr.Any(expected.IsMatch), $"stderr lacks a line matching: {expected}\n{result}");
        Assert.True(!result.Stderr.Any(line => line.Contains("   at ", StringComparison.Ordinal)), $"stack trace on stderr\n{result}");
    }
}
