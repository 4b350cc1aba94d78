using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>HTTP health checks: a host whose health path answers 503 leaves rotation, and comes back when it answers 200.</summary>
public sealed class HttpHealthCheckTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AHostFailingItsHttpCheckGetsNoRequestsUntilItRecovers()
    {
        var sickStatus = 503;
        var (healthy, _) = NamedHttpResponder.Start("healthy", _ => 200);
        var (sick, _) = NamedHttpResponder.Start("sick", head => HealthStatus(head, () => Volatile.Read(ref sickStatus)));
        await using var healthyScope = healthy;
        await using var sickScope = sick;
        var toml = HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", [sick.EndPoint, healthy.EndPoint], "health_check = { type = \"http\", path = \"/healthz\", host = \"app.internal\", expected_statuses = [200], interval = \"200ms\", timeout = \"1s\", unhealthy_threshold = 1 }"));
        await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);
        await proxy.WaitForLogAsync("host unhealthy", TimeSpan.FromSeconds(10), line => line.Get("host") == sick.EndPoint.ToString());

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var web = $"http://{proxy.ListenerAddress()}";
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("healthy", await http.GetStringAsync($"{web}/work/{i}"));
        }

        Volatile.Write(ref sickStatus, 200);
        await proxy.WaitForLogAsync("host healthy", TimeSpan.FromSeconds(10), line => line.Get("host") == sick.EndPoint.ToString());
        var answers = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await http.GetStringAsync($"{web}/work/{i}"));
        }

        Assert.Contains("sick", answers);
        await proxy.StopCleanlyAsync();
    }

    /// <summary>/healthz gets the current status when the checker sent the configured Host (else 400); any other request 200.</summary>
    private static int HealthStatus(string head, Func<int> current) =>
        !head.StartsWith("GET /healthz ", StringComparison.Ordinal) ? 200
        : head.Contains("host: app.internal", StringComparison.OrdinalIgnoreCase) ? current()
        : 400;
}
