using System.Net.Sockets;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>
/// Connection reuse on both sides: upstream connections go back to the worker's pool only after a
/// clean exchange and are dropped when the upstream closes them; client connections end on their
/// idle timeout or when the client gives up in the middle of a request body.
/// </summary>
public sealed class HttpKeepAliveTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ScriptedHttpBackend _backend = ScriptedHttpBackend.Start();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _backend.AssertNoErrorsAndDisposeAsync();

    [Fact]
    public async Task Requests_from_separate_client_connections_share_one_upstream_connection()
    {
        await using var proxy = await StartAsync();

        for (var i = 1; i <= 3; i++)
        {
            var response = await HttpExchange.GetAsync(proxy.ListenerAddress(), "/");
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Head.Get("x-connection-request"));
        }

        Assert.Equal(1, _backend.Connections);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task An_upstream_connection_abandoned_by_a_timeout_is_never_reused()
    {
        await using var proxy = await StartAsync(routeExtras: "timeout = \"300ms\"");
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("GET", "/late", "test", "x-action: delay:1000"));
        Assert.Equal(504, (await client.ReadResponseAsync()).Status);
        await client.SendAsync(HttpExchange.Request("GET", "/next", "test"));
        var next = await client.ReadResponseAsync();

        Assert.Equal(200, next.Status);
        Assert.Equal("/next", next.EchoedRequest.Target);
        Assert.Equal("1", next.Head.Get("x-connection-request"));
        client.Dispose();
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task An_idle_upstream_connection_closed_by_the_upstream_is_replaced()
    {
        await using var proxy = await StartAsync();
        Assert.Equal(200, (await HttpExchange.GetAsync(proxy.ListenerAddress(), "/", "test", "x-action: linger-close:100")).Status);
        Assert.True(await Progress.WaitUntilAsync(() => _backend.Connections == 1 && _backend.Requests.Count == 1, TimeSpan.FromSeconds(5)));
        Assert.True(await Progress.WaitUntilAsync(() => _backend.ClosedConnections == 1, TimeSpan.FromSeconds(15)), "the backend never closed its idle connection");

        var response = await HttpExchange.GetAsync(proxy.ListenerAddress(), "/");

        Assert.Equal(200, response.Status);
        Assert.Equal("1", response.Head.Get("x-connection-request"));
        Assert.Equal(2, _backend.Connections);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task An_upstream_asking_to_close_gets_a_new_connection_and_the_client_keeps_its_own()
    {
        await using var proxy = await StartAsync();
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("GET", "/", "test", "x-action: close"));
        var closing = await client.ReadResponseAsync();
        await client.SendAsync(HttpExchange.Request("GET", "/", "test"));
        var next = await client.ReadResponseAsync();

        Assert.False(closing.Closes, closing.Head.Raw);
        Assert.Equal("1", next.Head.Get("x-connection-request"));
        Assert.Equal(2, _backend.Connections);
        client.Dispose();
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_client_asking_to_close_is_answered_and_closed()
    {
        await using var proxy = await StartAsync();
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("GET", "/", "test", "Connection: close"));
        var response = await client.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.True(response.Closes, response.Head.Raw);
        Assert.True(await client.WaitForCloseAsync());
        client.Dispose();
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task An_upstream_connection_is_retired_after_max_requests_per_connection()
    {
        await using var proxy = await ProxyProcess.StartTomlAsync(
            HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", [_backend.EndPoint], "connection_pool = { max_requests_per_connection = 2 }")), output);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(200, (await HttpExchange.GetAsync(proxy.ListenerAddress(), "/")).Status);
        }

        Assert.Equal(3, _backend.Connections);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task An_idle_upstream_connection_is_closed_after_the_pool_idle_timeout()
    {
        await using var proxy = await ProxyProcess.StartTomlAsync(
            HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", [_backend.EndPoint], "connection_pool = { idle_timeout = \"300ms\" }")), output);

        Assert.Equal(200, (await HttpExchange.GetAsync(proxy.ListenerAddress(), "/")).Status);

        Assert.True(await Progress.WaitUntilAsync(() => _backend.ClosedConnections == 1, TimeSpan.FromSeconds(15)), "the idle upstream connection was never closed");
        var next = await HttpExchange.GetAsync(proxy.ListenerAddress(), "/");
        Assert.Equal("1", next.Head.Get("x-connection-request"));
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task An_idle_client_connection_is_closed_after_the_idle_timeout()
    {
        await using var proxy = await StartAsync(http: "idle_timeout = \"300ms\"");
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());
        await client.SendAsync(HttpExchange.Request("GET", "/", "test"));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);

        Assert.True(await client.WaitForCloseAsync(), "the idle client connection stayed open");
        client.Dispose();
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_client_that_closes_in_the_middle_of_its_body_ends_the_exchange()
    {
        await using var proxy = await StartAsync(routeExtras: "timeout = \"60s\"");
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("POST", "/", "test", "Content-Length: 1000") + "only ten b");
        Assert.True(await Progress.WaitUntilAsync(() => _backend.Connections == 1, TimeSpan.FromSeconds(15)), "the request never reached the backend");
        client.Socket.Shutdown(SocketShutdown.Send);

        // Liveness only: well before the route's 60s timeout, both sides of the dead exchange are closed.
        Assert.True(await client.WaitForCloseAsync(), "the client connection stayed open");
        Assert.True(await Progress.WaitUntilAsync(() => _backend.Requests.Count == 0 && ClosedBackend(), TimeSpan.FromSeconds(15)), "the upstream connection stayed open");
        client.Dispose();
        await proxy.StopCleanlyAsync();
    }

    private bool ClosedBackend() => _backend.ClosedConnections == 1;

    private Task<ProxyProcess> StartAsync(string http = "", string routeExtras = "") =>
        ProxyProcess.StartTomlAsync(HttpToml.CatchAllConfig(HttpToml.Cluster("app", _backend.EndPoint), http, routeExtras), output);
}
