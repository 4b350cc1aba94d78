using System.Net;
using System.Text.RegularExpressions;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.LiveConfig;

/// <summary>
/// Live configuration from the config file, with the AOT binary: a route change and a cluster change
/// under wrk load fail no request and keep every connection; a broken file changes nothing and says
/// why; meshedge reload and POST /reload apply the file on demand.
/// </summary>
public sealed partial class LiveConfigReloadTests(ITestOutputHelper output)
{
    /// <summary>Two listeners: "inbound" sends /b to <paramref name="bCluster"/> and the rest to alpha; "steady" sends everything to alpha.</summary>
    private static string Config(string bCluster, IEnumerable<IPEndPoint> alpha, IPEndPoint b, IPEndPoint c) => $"""
        [runtime]
        workers = 2
        drain_timeout = "10s"

        [admin]
        address = "127.0.0.1:0"

        [[listeners]]
        name = "inbound"
        address = "127.0.0.1:0"
        protocol = "http"
        [[listeners.http.virtual_hosts]]
        name = "all"
        domains = ["*"]
        [[listeners.http.virtual_hosts.routes]]
        match = {"{"} prefix = "/b" {"}"}
        cluster = "{bCluster}"
        [[listeners.http.virtual_hosts.routes]]
        match = {"{"} prefix = "/" {"}"}
        cluster = "alpha"

        [[listeners]]
        name = "steady"
        address = "127.0.0.1:0"
        protocol = "http"
        {HttpToml.CatchAll("alpha")}

        {HttpToml.Cluster("alpha", [.. alpha])}
        {HttpToml.Cluster("beta", b)}
        {HttpToml.Cluster("gamma", c)}
        """;

    [Fact]
    public async Task A_route_change_and_a_new_backend_under_wrk_load_fail_nothing_and_keep_every_connection()
    {
        var (a, _) = NamedHttpResponder.Start("a", _ => 200);
        var (a2, a2Responder) = NamedHttpResponder.Start("a2", _ => 200);
        var (b, bResponder) = NamedHttpResponder.Start("b", _ => 200);
        var (c, cResponder) = NamedHttpResponder.Start("c", _ => 200);
        await using (a)
        await using (a2)
        await using (b)
        await using (c)
        {
            await using var proxy = await ProxyProcess.StartTomlAsync(Config("beta", [a.EndPoint], b.EndPoint, c.EndPoint), output);
            var routesAtStart = (await LiveConfigFile.LiveStateAsync(proxy, "routes")).GetProperty("version").GetString();

            // A keep-alive connection on the listener the change leaves alone.
            using var steady = await RawHttpClient.ConnectAsync(proxy.ListenerAddress("steady"));
            Assert.Equal("a", (await GetAsync(steady, "/x")).BodyText);

            var wrk = ToolRun.RunAsync("wrk", ["-t", "1", "-c", "4", "-d", "8s", $"http://{proxy.ListenerAddress()}/b/x"], TimeSpan.FromSeconds(60));
            Assert.True(await Progress.WaitUntilAsync(() => bResponder.Requests >= 50, TimeSpan.FromSeconds(30)), $"wrk did not get going: beta answered {bResponder.Requests}\n{proxy.Describe()}");

            // /b moves from beta to gamma; alpha gains a second backend.
            var acceptedBefore = await LiveConfigFile.AcceptedAsync(proxy, "inbound");
            var applied = await LiveConfigFile.RewriteAsync(proxy, Config("gamma", [a.EndPoint, a2.EndPoint], b.EndPoint, c.EndPoint));
            output.WriteLine(applied.Raw);
            var load = await wrk;

            Assert.True(load.ExitCode == 0, load.ToString());
            Assert.DoesNotContain("Non-2xx", load.Stdout);
            Assert.DoesNotContain("Socket errors", load.Stdout);
            Assert.True(cResponder.Requests > 0, $"the route change never reached wrk's connections: gamma answered nothing\n{load}\n{proxy.Describe()}");

            // Same sockets: wrk's connections, open before the change, were all the changed listener accepted.
            Assert.Equal(acceptedBefore, await LiveConfigFile.AcceptedAsync(proxy, "inbound"));
            var betaAfter = bResponder.Requests;
            Assert.Equal("c", (await ToolRun.CurlAsync("-s", $"http://{proxy.ListenerAddress()}/b/after")).Stdout);
            Assert.Equal(betaAfter, bResponder.Requests);

            // The steady connection still answers, and it now reaches alpha's new backend too.
            for (var i = 0; i < 10 && a2Responder.Requests == 0; i++)
            {
                Assert.Equal(200, (await GetAsync(steady, $"/again/{i}")).Status);
            }

            Assert.True(a2Responder.Requests > 0, $"alpha's new backend got no request over the kept connection\n{proxy.Describe()}");
            Assert.Equal(1, await LiveConfigFile.AcceptedAsync(proxy, "steady"));

            var routes = await LiveConfigFile.LiveStateAsync(proxy, "routes");
            Assert.NotEqual(routesAtStart, routes.GetProperty("version").GetString());
            Assert.Equal(applied.Require("version"), routes.GetProperty("version").GetString());
            Assert.Equal("watch", routes.GetProperty("source").GetString());
            Assert.Equal(applied.Require("version"), (await LiveConfigFile.LiveStateAsync(proxy, "clusters")).GetProperty("version").GetString());
            Assert.Empty(proxy.FindLogs("listener started").Where(line => line.Get("listener") is "inbound" or "steady").Skip(2));
            Assert.Matches(ReloadsSucceeded(), await proxy.AdminGetAsync("/metrics"));

            steady.Dispose();
            await proxy.StopCleanlyAsync();
        }
    }

    [Fact]
    public async Task A_broken_file_changes_nothing_and_config_dump_says_why()
    {
        var (a, _) = NamedHttpResponder.Start("a", _ => 200);
        var (b, _) = NamedHttpResponder.Start("b", _ => 200);
        var (c, _) = NamedHttpResponder.Start("c", _ => 200);
        await using (a)
        await using (b)
        await using (c)
        {
            await using var proxy = await ProxyProcess.StartTomlAsync(Config("beta", [a.EndPoint], b.EndPoint, c.EndPoint), output);
            var routesAtStart = (await LiveConfigFile.LiveStateAsync(proxy, "routes")).GetProperty("version").GetString();

            // A route to a cluster that does not exist: `meshedge validate` would exit 2 on it.
            var broken = Config("nowhere", [a.EndPoint], b.EndPoint, c.EndPoint);
            var rejected = await LiveConfigFile.RewriteAsync(proxy, broken, "config rejected");

            Assert.Contains("nowhere", rejected.Require("error"));
            Assert.Contains(proxy.ConfigPath, rejected.Require("error"));
            Assert.Equal("b", (await ToolRun.CurlAsync("-s", $"http://{proxy.ListenerAddress()}/b/x")).Stdout);
            var routes = await LiveConfigFile.LiveStateAsync(proxy, "routes");
            Assert.Equal(routesAtStart, routes.GetProperty("version").GetString());
            var rejection = routes.GetProperty("last_rejection");
            Assert.True(rejection.ValueKind == System.Text.Json.JsonValueKind.Object, $"/config_dump shows no rejection for routes: {routes}");
            Assert.Equal(rejected.Require("error"), rejection.GetProperty("error").GetString());
            Assert.Equal("watch", rejection.GetProperty("source").GetString());
            Assert.Matches(ReloadsRejected(), await proxy.AdminGetAsync("/metrics"));

            // meshedge reload checks the file first: the same error, exit 2, nothing sent.
            var admin = proxy.ListenerAddress("admin").ToString();
            var cli = await MeshEdgeCli.RunAsync(output, "reload", "-c", proxy.ConfigPath, "--admin", admin);
            Assert.True(cli.ExitCode == 2, cli.ToString());
            Assert.Contains(cli.Stderr, line => line.Contains("nowhere", StringComparison.Ordinal));

            // Fixed: meshedge reload applies it (the watcher may have been first; either way it is in effect).
            await File.WriteAllTextAsync(proxy.ConfigPath, Config("gamma", [a.EndPoint], b.EndPoint, c.EndPoint));
            cli = await MeshEdgeCli.RunAsync(output, "reload", "-c", proxy.ConfigPath, "--admin", admin);
            Assert.True(cli.ExitCode == 0, cli.ToString());
            Assert.Contains(cli.Stdout, line => line.Contains("applied", StringComparison.Ordinal));
            Assert.Equal("c", (await ToolRun.CurlAsync("-s", $"http://{proxy.ListenerAddress()}/b/x")).Stdout);

            // POST /reload answers with the reason when the file is refused.
            await File.WriteAllTextAsync(proxy.ConfigPath, broken);
            var post = await ToolRun.CurlAsync("-s", "-w", "\n%{http_code}", "-X", "POST", $"http://{proxy.ListenerAddress("admin")}/reload");
            Assert.EndsWith("\n400", post.Stdout);
            Assert.Contains("nowhere", post.Stdout);
            Assert.Equal("c", (await ToolRun.CurlAsync("-s", $"http://{proxy.ListenerAddress()}/b/x")).Stdout);
            await proxy.StopCleanlyAsync();
        }
    }

    private static async Task<RawResponse> GetAsync(RawHttpClient client, string path)
    {
        await client.SendAsync($"GET {path} HTTP/1.1\r\nHost: live\r\n\r\n");
        return await client.ReadResponseAsync();
    }

    [GeneratedRegex("""meshedge_config_reloads_total\{result="success"\} [1-9]""")]
    private static partial Regex ReloadsSucceeded();

    [GeneratedRegex("""meshedge_config_reloads_total\{result="rejected"\} [1-9]""")]
    private static partial Regex ReloadsRejected();
}
