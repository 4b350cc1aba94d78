using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// The upstream for proxying checks: on 127.0.0.1, port chosen by the kernel. For each connection it
/// reads one line and answers "pong " + that line, then closes.
/// </summary>
internal sealed class PongServer : LoopbackServer
{
    public PongServer() => Start();

    /// <summary>A meshedge config with one TCP listener on an ephemeral loopback port in front of this server.</summary>
    public string ProxyConfigToml() => $"""
        # One TCP listener (port chosen at bind, logged as "listener started") in front of the test's pong server.
        [runtime]
        drain_timeout = "5s"

        [[listeners]]
        name = "packaging"
        address = "127.0.0.1:0"

        [listeners.tcp_proxy]
        cluster = "pong"

        [[clusters]]
        name = "pong"
        hosts = ["127.0.0.1:{EndPoint.Port}"]
        """;

    /// <summary>Sends a line through <paramref name="proxy"/> and asserts the pong comes back through it.</summary>
    public async Task AssertProxiedAsync(IPEndPoint proxy)
    {
        var ping = $"ping {Guid.NewGuid():N}";
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(proxy, deadline.Token);
        await client.SendAsync(Encoding.ASCII.GetBytes(ping + "\n"), SocketFlags.None, deadline.Token);
        var received = new MemoryStream();
        var buffer = new byte[1024];
        try
        {
            int n;
            while ((n = await client.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no complete answer through the proxy at {proxy} within 20s; got \"{Encoding.ASCII.GetString(received.ToArray())}\"");
        }

        Assert.Equal($"pong {ping}\n", Encoding.ASCII.GetString(received.ToArray()));
    }

    protected override async Task ServeAsync(Socket connection, CancellationToken stopping)
    {
        var line = new MemoryStream();
        var buffer = new byte[1024];
        int n;
        while ((n = await connection.ReceiveAsync(buffer, SocketFlags.None, stopping)) > 0)
        {
            line.Write(buffer, 0, n);
            if (Array.IndexOf(buffer, (byte)'\n', 0, n) >= 0)
            {
                break;
            }
        }

        var reply = Encoding.ASCII.GetBytes("pong " + Encoding.ASCII.GetString(line.ToArray()));
        await connection.SendAsync(reply, SocketFlags.None, stopping);
        connection.Shutdown(SocketShutdown.Both);
    }
}
