using System.Net.Sockets;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>An Upgrade (WebSocket-style) request: the 101 goes back, then the connection is a byte tunnel both ways.</summary>
public sealed class HttpUpgradeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task After_a_101_bytes_flow_both_ways_until_the_client_closes()
    {
        await using var backend = ScriptedHttpBackend.Start();
        await using var proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", backend.EndPoint)), output);
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("GET", "/ws", "test", "Connection: Upgrade", "Upgrade: websocket", "x-action: upgrade"));
        var response = await client.ReadResponseAsync();

        Assert.Equal(101, response.Status);
        Assert.Equal("websocket", response.Head.Get("upgrade"));
        var received = Assert.Single(backend.Requests).Head;
        Assert.Equal("websocket", received.Get("upgrade"));
        Assert.Equal("upgrade", received.Get("connection"), ignoreCase: true);

        var payload = new byte[300 * 1024];
        new Random(7).NextBytes(payload);
        await client.SendAsync("ping");
        Assert.Equal("ping"u8.ToArray(), await client.ReadSomeAsync());
        await client.SendAsync(payload);
        var echoed = new List<byte>();
        while (echoed.Count < payload.Length)
        {
            var bytes = await client.ReadSomeAsync();
            Assert.NotEmpty(bytes);
            echoed.AddRange(bytes);
        }

        Assert.Equal(payload, echoed.ToArray());
        client.Socket.Shutdown(SocketShutdown.Send);
        Assert.True(await client.WaitForCloseAsync(), "the tunnel did not close after both sides finished");
        client.Dispose();
        await proxy.StopCleanlyAsync();
        backend.AssertNoErrors();
    }

    [Fact]
    public async Task An_upgrade_the_upstream_declines_leaves_an_ordinary_http_connection()
    {
        await using var backend = ScriptedHttpBackend.Start();
        await using var proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", backend.EndPoint)), output);
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("GET", "/ws", "test", "Connection: Upgrade", "Upgrade: websocket"));
        var declined = await client.ReadResponseAsync();
        await client.SendAsync(HttpExchange.Request("GET", "/next", "test"));
        var next = await client.ReadResponseAsync();

        Assert.Equal(200, declined.Status);
        Assert.Equal("/next", next.EchoedRequest.Target);
        client.Dispose();
        await proxy.StopCleanlyAsync();
        backend.AssertNoErrors();
    }
}
