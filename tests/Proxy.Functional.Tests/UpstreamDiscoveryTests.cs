using System.Net;
using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// Host sets that change while the proxy serves: strict_dns names whose answers change, eds host
/// files rewritten, and priority levels taking over from one another as health changes.
/// </summary>
public sealed class UpstreamDiscoveryTests(ITestOutputHelper output)
{
    private const string Name = "backend.meshedge.test";

    private static string Toml(string cluster) =>
        HttpToml.WithAdmin(HttpToml.WithWorkers(HttpToml.CatchAllConfig("[[clusters]]\nname = \"app\"\n" + cluster), 2));

    [Fact]
    public async Task AStrictDnsClusterFollowsTheNamesAnswer()
    {
        // Two backends on one port at two loopback addresses, as two pods behind one name would be.
        var (first, _) = NamedHttpResponder.Start("first", _ => 200, new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        await using var firstScope = first;
        var port = first.EndPoint.Port;
        var (second, _) = NamedHttpResponder.Start("second", _ => 200, new IPEndPoint(IPAddress.Parse("127.0.0.3"), port));
        await using var secondScope = second;
        using var directory = new TempDirectory();
        var hosts = directory.Write("hosts", $"127.0.0.1 localhost\n127.0.0.2 {Name}\n");

        await using var proxy = await ProxyProcess.StartTomlAsync(
            Toml($"""
                type = "strict_dns"
                dns_refresh_rate = "200ms"
                hosts = ["{Name}:{port}"]
                """),
            output,
            hosts);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var web = $"http://{proxy.ListenerAddress()}";
        Assert.Equal(["first"], await AnswersAsync(http, web, 8));

        // Rewritten in place: the bind mount follows the inode.
        await File.WriteAllTextAsync(hosts, $"127.0.0.1 localhost\n127.0.0.2 {Name}\n127.0.0.3 {Name}\n");
        await proxy.WaitForLogAsync("cluster hosts updated", TimeSpan.FromSeconds(10), line => line.Get("version") == "2");
        Assert.Equal(["first", "second"], await AnswersAsync(http, web, 8));

        await File.WriteAllTextAsync(hosts, $"127.0.0.1 localhost\n127.0.0.3 {Name}\n");
        await proxy.WaitForLogAsync("cluster hosts updated", TimeSpan.FromSeconds(10), line => line.Get("version") == "3");
        Assert.Equal(["second"], await AnswersAsync(http, web, 8));

        using var clusters = JsonDocument.Parse(await http.GetStringAsync($"http://{proxy.ListenerAddress("admin")}/clusters"));
        var host = Assert.Single(clusters.RootElement[0].GetProperty("hosts").EnumerateArray());
        Assert.Equal($"127.0.0.3:{port}", host.GetProperty("address").GetString());
        Assert.Equal(Name, host.GetProperty("hostname").GetString());
        Assert.Equal("strict_dns", clusters.RootElement[0].GetProperty("type").GetString());
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task AnEdsClusterTakesItsHostsFromItsFileAndRejectsABadVersion()
    {
        var (first, _) = NamedHttpResponder.Start("first", _ => 200);
        var (second, _) = NamedHttpResponder.Start("second", _ => 200);
        await using var firstScope = first;
        await using var secondScope = second;
        using var directory = new TempDirectory();
        var eds = directory.Write("app.json", $$"""{"hosts": ["{{first.EndPoint}}"]}""");

        await using var proxy = await ProxyProcess.StartTomlAsync(Toml($"""
            type = "eds"
            eds_path = "{eds}"
            """), output);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var web = $"http://{proxy.ListenerAddress()}";
        Assert.Equal(["first"], await AnswersAsync(http, web, 6));

        // The keep-alive connections to the first host sit idle in the workers' pools...
        Assert.True(first.Accepted > first.Closed, $"accepted {first.Accepted}, closed {first.Closed}");
        await File.WriteAllTextAsync(eds, $$"""{"hosts": [{"address": "{{second.EndPoint}}", "weight": 2}]}""");
        await proxy.WaitForLogAsync("cluster hosts updated", TimeSpan.FromSeconds(10), line => line.Get("version") == "2");
        // ...and close when it leaves the cluster, long before their idle timeout.
        Assert.True(await Progress.WaitUntilAsync(() => first.Closed == first.Accepted, TimeSpan.FromSeconds(5)), $"accepted {first.Accepted}, closed {first.Closed}");
        Assert.Equal(["second"], await AnswersAsync(http, web, 6));
        var metrics = await http.GetStringAsync($"http://{proxy.ListenerAddress("admin")}/metrics");
        Assert.Contains("meshedge_upstream_hosts{cluster=\"app\",state=\"total\"} 1", metrics);
        Assert.Contains($"meshedge_upstream_host_requests_active{{cluster=\"app\",host=\"{second.EndPoint}\"}} 0", metrics);
        Assert.DoesNotContain(first.EndPoint.ToString(), metrics);

        await File.WriteAllTextAsync(eds, """{"hosts": ["not-an-address"]}""");
        var rejected = await proxy.WaitForLogAsync("eds update rejected", TimeSpan.FromSeconds(10));
        Assert.Equal(eds, rejected.Get("file"));
        Assert.Contains("hosts[0].address", rejected.Get("reason"));
        Assert.Equal(["second"], await AnswersAsync(http, web, 6));
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task APriorityOneHostTakesOverWhilePriorityZeroFailsItsChecks()
    {
        var primaryStatus = 200;
        var (primary, _) = NamedHttpResponder.Start("primary", head => head.StartsWith("GET /healthz", StringComparison.Ordinal) ? Volatile.Read(ref primaryStatus) : 200);
        var (standby, _) = NamedHttpResponder.Start("standby", _ => 200);
        await using var primaryScope = primary;
        await using var standbyScope = standby;

        await using var proxy = await ProxyProcess.StartTomlAsync(Toml($$"""
            hosts = ["{{primary.EndPoint}}", { address = "{{standby.EndPoint}}", priority = 1 }]
            health_check = { type = "http", path = "/healthz", interval = "200ms", timeout = "1s", unhealthy_threshold = 1, healthy_threshold = 1 }
            """), output);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var web = $"http://{proxy.ListenerAddress()}";
        Assert.Equal(["primary"], await AnswersAsync(http, web, 8));

        Volatile.Write(ref primaryStatus, 503);
        await proxy.WaitForLogAsync("host unhealthy", TimeSpan.FromSeconds(10), line => line.Get("host") == primary.EndPoint.ToString());
        Assert.Equal(["standby"], await AnswersAsync(http, web, 8));

        Volatile.Write(ref primaryStatus, 200);
        await proxy.WaitForLogAsync("host healthy", TimeSpan.FromSeconds(10), line => line.Get("host") == primary.EndPoint.ToString());
        Assert.Equal(["primary"], await AnswersAsync(http, web, 8));
        await proxy.StopCleanlyAsync();
    }

    /// <summary>The distinct bodies (backend names) of <paramref name="count"/> GETs, sorted.</summary>
    private static async Task<string[]> AnswersAsync(HttpClient http, string web, int count)
    {
        var answers = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            answers.Add(await http.GetStringAsync($"{web}/item/{i}"));
        }

        return [.. answers];
    }
}
