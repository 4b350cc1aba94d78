using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>
/// SIGTERM on an HTTP listener: an idle keep-alive connection is closed at once, and a request in
/// flight finishes with <c>connection: close</c>; the proxy then exits 0 long before the 30s drain timeout.
/// </summary>
public sealed class HttpDrainTests(ITestOutputHelper output)
{
    private static readonly TimeSpan WellBeforeDrainTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_idle_keep_alive_connection_is_closed_and_the_proxy_exits_at_once()
    {
        await using var backend = ScriptedHttpBackend.Start();
        await using var proxy = await StartAsync(backend);
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());
        await client.SendAsync(HttpExchange.Request("GET", "/", "test"));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);

        proxy.Signal(Libc.SigTerm);

        Assert.True(await client.WaitForCloseAsync(), "the idle keep-alive connection was not closed by the drain");
        proxy.AssertCleanExit(await proxy.WaitForExitAsync(WellBeforeDrainTimeout));
    }

    [Fact]
    public async Task A_request_in_flight_finishes_with_connection_close()
    {
        await using var backend = ScriptedHttpBackend.Start();
        await using var proxy = await StartAsync(backend);
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());
        await client.SendAsync(HttpExchange.Request("GET", "/", "test", "x-action: delay:1500"));
        Assert.True(await Progress.WaitUntilAsync(() => backend.Requests.Count == 1, TimeSpan.FromSeconds(15)), "the request never reached the backend");

        proxy.Signal(Libc.SigTerm);
        await proxy.WaitForLogAsync("draining", TimeSpan.FromSeconds(10));
        var response = await client.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.True(response.Closes, response.Head.Raw);
        Assert.True(await client.WaitForCloseAsync());
        client.Dispose(); // the proxy lingers until the client closes its side too
        proxy.AssertCleanExit(await proxy.WaitForExitAsync(WellBeforeDrainTimeout));
        backend.AssertNoErrors();
    }

    [Fact]
    public async Task An_upload_in_flight_completes_and_its_answer_closes_the_connection()
    {
        await using var backend = ScriptedHttpBackend.Start();
        await using var proxy = await StartAsync(backend);
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());
        await client.SendAsync(HttpExchange.Request("POST", "/upload", "test", "Content-Length: 10") + "first");
        Assert.True(await Progress.WaitUntilAsync(() => backend.Connections == 1, TimeSpan.FromSeconds(15)), "the request never reached the backend");

        proxy.Signal(Libc.SigTerm);
        await proxy.WaitForLogAsync("draining", TimeSpan.FromSeconds(10));
        await client.SendAsync("-half");
        var response = await client.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal("10", response.Head.Get("x-body-length"));
        Assert.True(response.Closes, response.Head.Raw);
        Assert.True(await client.WaitForCloseAsync());
        client.Dispose();
        proxy.AssertCleanExit(await proxy.WaitForExitAsync(WellBeforeDrainTimeout));
        backend.AssertNoErrors();
    }

    private Task<ProxyProcess> StartAsync(ScriptedHttpBackend backend) =>
        ProxyProcess.StartTomlAsync(
            HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", backend.EndPoint)).Replace("drain_timeout = \"10s\"", "drain_timeout = \"30s\""),
            output);
}
