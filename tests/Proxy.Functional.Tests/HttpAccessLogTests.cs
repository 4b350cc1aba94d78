using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>The HTTP access log: one line per request in the configured format, flushed in batches and at exit.</summary>
public sealed class HttpAccessLogTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EachRequestGetsALineWithItsStatusFlagsAndUpstream()
    {
        var (backend, _) = NamedHttpResponder.Start("app", _ => 200);
        await using var backendScope = backend;
        using var directory = new TempDirectory();
        var logPath = directory.PathOf("access.log");
        var toml = $$"""
            [runtime]
            workers = 1
            drain_timeout = "5s"

            [[listeners]]
            name = "web"
            address = "127.0.0.1:0"
            protocol = "http"
            [listeners.http]
            access_log = { path = "{{logPath}}", format = "%REQ(:METHOD)% %REQ(:PATH)% %PROTOCOL% %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_HOST% %REQ(USER-AGENT)% %DOWNSTREAM_REMOTE_ADDRESS%" }
            [[listeners.http.virtual_hosts]]
            name = "all"
            routes = [
              { match = { prefix = "/app" }, cluster = "app" },
              { match = { path = "/direct" }, direct_response = { status = 202 } },
            ]

            [[clusters]]
            name = "app"
            hosts = ["{{backend.EndPoint}}"]
            """;
        await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) })
        {
            http.DefaultRequestHeaders.UserAgent.ParseAdd("access-log-test/1.0");
            var web = $"http://{proxy.ListenerAddress("web")}";
            await http.GetAsync($"{web}/app/one?q=1");
            await http.GetAsync($"{web}/direct");
            await http.GetAsync($"{web}/nowhere");
        }

        await proxy.StopCleanlyAsync();

        var lines = await File.ReadAllLinesAsync(logPath);
        Assert.Equal(
            [
                $"GET /app/one?q=1 HTTP/1.1 200 - {backend.EndPoint} access-log-test/1.0 127.0.0.1",
                "GET /direct HTTP/1.1 202 - - access-log-test/1.0 127.0.0.1",
                "GET /nowhere HTTP/1.1 404 NR - access-log-test/1.0 127.0.0.1",
            ],
            lines);
    }

    [Fact]
    public async Task AnAccessLogThatCannotBeOpenedStopsTheStartWithItsReason()
    {
        using var directory = new TempDirectory();
        var toml = """
            [[listeners]]
            name = "web"
            address = "127.0.0.1:0"
            protocol = "http"
            [listeners.http]
            access_log = { path = "/nonexistent-dir/access.log" }
            [[listeners.http.virtual_hosts]]
            name = "all"
            routes = [{ match = { prefix = "/" }, direct_response = { status = 200 } }]
            """;
        await using var proxy = ProxyProcess.Launch(["run", "-c", directory.Write("meshedge.toml", toml)], output);

        Assert.Equal(1, await proxy.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains(proxy.StderrLines, line => line.Raw.Contains("cannot open access log /nonexistent-dir/access.log of listener web"));
    }
}
