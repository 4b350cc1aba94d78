using System.Net;
using System.Net.Sockets;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// With no -c and no /etc/meshedge/meshedge.toml the embedded default applies: HTTP listener "inbound"
/// on 127.0.0.1:10000 to local_app at 127.0.0.1:8080, and the admin API on 127.0.0.1:9901. The fixed ports are the one exception to "bind port 0";
/// test runs on one machine take turns at them (<see cref="FixedPortsLock"/>), and if something else keeps them busy the test fails and says so,
/// since xUnit 2 cannot skip at run time.
/// </summary>
public sealed class DefaultConfigTests(ITestOutputHelper output)
{
    private const string SystemConfig = "/etc/meshedge/meshedge.toml";
    private static readonly IPEndPoint DefaultListener = new(IPAddress.Loopback, 10000);
    private static readonly IPEndPoint DefaultUpstream = new(IPAddress.Loopback, 8080);
    private static readonly IPEndPoint DefaultAdmin = new(IPAddress.Loopback, 9901);

    [Fact]
    public async Task EmbeddedDefaultProxiesHttpFrom10000To8080WithAdminOn9901()
    {
        Assert.False(File.Exists(SystemConfig), $"{SystemConfig} exists, so the embedded default cannot be tested on this machine");
        // Another test run on this machine may be at this test too: take turns at the fixed ports.
        using var turn = await FixedPortsLock.TakeAsync(TimeSpan.FromMinutes(3), DefaultListener, DefaultAdmin, DefaultUpstream);

        TcpBackend echo;
        try
        {
            echo = TcpBackend.Start(AnswerWithPathAsync, DefaultUpstream);
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

            Assert.Equal(DefaultAdmin, proxy.ListenerAddress("admin"));

            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) })
            {
                Assert.Equal("path=/through/the/default", await http.GetStringAsync("http://127.0.0.1:10000/through/the/default"));
                Assert.Equal("LIVE\n", await http.GetStringAsync("http://127.0.0.1:9901/ready"));
                var metrics = await http.GetStringAsync("http://127.0.0.1:9901/metrics");
                Assert.Contains("meshedge_http_responses_total{listener=\"inbound\",class=\"2xx\"} 1", metrics);
            }

            await proxy.StopCleanlyAsync();
            Assert.NotNull(proxy.FindLog("cluster stats", line => line.Get("cluster") == "local_app"));
        }
    }

    /// <summary>A minimal local application: answers each request with its path, keeping the connection.</summary>
    private static async Task AnswerWithPathAsync(Socket connection, CancellationToken stopping)
    {
        var buffer = new byte[16 * 1024];
        var received = 0;
        while (true)
        {
            var n = await connection.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, stopping);
            if (n == 0)
            {
                return;
            }

            received += n;
            var text = System.Text.Encoding.ASCII.GetString(buffer, 0, received);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }

            var body = "path=" + text.Split(' ')[1];
            var response = $"HTTP/1.1 200 OK\r\ncontent-length: {body.Length}\r\n\r\n{body}";
            await Loopback.SendAllAsync(connection, System.Text.Encoding.ASCII.GetBytes(response), stopping);
            received = 0;
        }
    }
}
