using System.Net;
using System.Net.Sockets;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>A listener that cannot bind is an operator error: one clear log line and exit code 1, no stack trace.</summary>
public sealed class PortInUseTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BusyPortExitsWithOneCannotListenLine()
    {
        // A plain listening socket without SO_REUSEPORT: meshedge's bind must fail even if it sets that option.
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var busy = (IPEndPoint)holder.LocalEndPoint!;

        var config = ProxyConfig.ForTcpProxy(new IPEndPoint(IPAddress.Loopback, 9001));
        config.Listener.Address = busy.ToString();
        using var directory = new TempDirectory();
        var path = directory.Write("meshedge.toml", config.ToToml());
        await using var proxy = ProxyProcess.Launch(["run", "-c", path], output);

        var exitCode = await proxy.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.True(exitCode == 1, $"exit code {exitCode}, expected 1\n{proxy.Describe()}");
        var errors = proxy.StderrLines.Where(line => line.Message == "cannot listen").ToList();
        Assert.True(errors.Count == 1, $"expected one \"cannot listen\" line, found {errors.Count}\n{proxy.Describe()}");
        var error = errors[0];
        Assert.Equal("error", error.Level);
        Assert.Equal("inbound", error.Get("listener"));
        Assert.Equal(busy.ToString(), error.Get("address"));
        Assert.False(string.IsNullOrWhiteSpace(error.Get("error")), $"\"cannot listen\" has no error text: {error}");
        Assert.True(
            !proxy.StderrLines.Any(line => line.Raw.Contains("   at ", StringComparison.Ordinal)),
            $"stack trace on stderr\n{proxy.Describe()}");
    }
}
