using System.Net;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>Outlier detection: a host answering 5xx is ejected after the configured streak and returns when its ejection ends.</summary>
public sealed class OutlierDetectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AHostAnswering5xxIsEjectedAndLaterRestored()
    {
        var (badBackend, bad) = NamedHttpResponder.Start("bad", _ => 500);
        var (goodBackend, good) = NamedHttpResponder.Start("good", _ => 200);
        await using var badScope = badBackend;
        await using var goodScope = goodBackend;
        var toml = HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", [badBackend.EndPoint, goodBackend.EndPoint], "outlier_detection = { consecutive_5xx = 3, base_ejection_time = \"2s\", max_ejection_percent = 50, interval = \"100ms\" }"));
        await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var web = $"http://{proxy.ListenerAddress()}";

        // Round robin alternates: the bad host's third 500 in a row ejects it.
        var failures = 0;
        for (var i = 0; i < 6; i++)
        {
            failures += (await http.GetAsync($"{web}/r{i}")).StatusCode == HttpStatusCode.InternalServerError ? 1 : 0;
        }

        Assert.Equal(3, failures);
        await proxy.WaitForLogAsync("host ejected", TimeSpan.FromSeconds(10), line => line.Get("host") == badBackend.EndPoint.ToString());
        var badBefore = bad.Requests;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("good", await http.GetStringAsync($"{web}/e{i}"));
        }

        Assert.Equal(badBefore, bad.Requests);

        // After base_ejection_time the host is back in rotation.
        await proxy.WaitForLogAsync("host returned from ejection", TimeSpan.FromSeconds(15), line => line.Get("host") == badBackend.EndPoint.ToString());
        for (var i = 0; i < 4; i++)
        {
            await http.GetAsync($"{web}/back{i}");
        }

        Assert.True(bad.Requests > badBefore, "the restored host received no request");
        Assert.True(good.Requests >= 13, $"good host answered {good.Requests}");
        await proxy.StopCleanlyAsync();
    }
}
