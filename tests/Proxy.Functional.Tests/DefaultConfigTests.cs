using System.Net;
using System.Net.Sockets;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// With no -c and no /etc/meshedge/meshedge.toml the embedded default applies: listener "inbound" on
/// 127.0.0.1:10000 to local_app at 127.0.0.1:8080. The fixed ports are the one exception to "bind port 0";
/// if they are taken the test fails and says so, since xUnit 2 cannot skip at run time.
/// </summary>
public sealed class DefaultConfigTests(ITestOutputHelper output)
{
    private const string SystemConfig = "/etc/meshedge/meshedge.toml";
    private static readonly IPEndPoint DefaultListener = new(IPAddress.Loopback, 10000);
    private static readonly IPEndPoint DefaultUpstream = new(IPAddress.Loopback, 8080);

    [Fact]
    public async Task EmbeddedDefaultProxiesFrom10000To8080()
    {
        Assert.False(File.Exists(SystemConfig), $"{SystemConfig} exists, so the embedded default cannot be tested on this machine");
        AssertPortFree(DefaultListener);

        TcpBackend echo;
        try
        {
            echo = EchoServer.Start(DefaultUpstream);
        }
        catch (SocketException error)
        {
            throw new Xunit.Sdk.XunitException($"cannot bind {DefaultUpstream} for the default upstream ({error.SocketErrorCode}); free the port to run this test");
        }

        await using (echo)
        {
            await using var proxy = ProxyProcess.Launch(["run", "--workers", "1"], output);
            await proxy.WaitUntilStartedAsync();
            Assert.Equal(DefaultListener, proxy.ListenerAddress("inbound"));
            Assert.Equal("1", proxy.FindLog("meshedge started")!.Get("workers"));

            using (var client = await Loopback.ConnectAsync(DefaultListener))
            {
                await Loopback.AssertEchoesAsync(client, "through the embedded default");
            }

            await proxy.StopCleanlyAsync();
            Assert.NotNull(proxy.FindLog("cluster stats", line => line.Get("cluster") == "local_app"));
        }
    }

    private static void AssertPortFree(IPEndPoint endPoint)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(endPoint);
        }
        catch (SocketException error)
        {
            throw new Xunit.Sdk.XunitException($"{endPoint} is busy ({error.SocketErrorCode}), so the default listener cannot start; free the port to run this test");
        }
    }
}
