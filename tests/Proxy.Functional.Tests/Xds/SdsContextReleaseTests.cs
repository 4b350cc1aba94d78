using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Tls;
using Xunit.Abstractions;
using static MeshEdge.Functional.Tests.Xds.SdsServedListener;
using static MeshEdge.Functional.Tests.Xds.XdsPlaneDriver;

namespace MeshEdge.Functional.Tests.Xds;

/// <summary>
/// A certificate rotated by SDS frees the listener's old OpenSSL context once nothing uses it: /certs
/// counts the listener contexts alive. A connection made before two rotations keeps its own working
/// (one old context stays, the one between goes); when it closes, only the newest is left.
/// </summary>
public sealed class SdsContextReleaseTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Rotated_contexts_are_freed_once_the_connections_on_them_close()
    {
        using var certificates = await TestCertificates.CreateAsync();
        var (app, _) = NamedHttpResponder.Start("app", _ => 200);
        await using (app)
        {
            await using var served = await StartAsync(delta: false, app.EndPoint.Port, [await SecretAsync("default", await certificates.IssueAsync("r0.test"))], TlsListener("default"), output);
            Assert.Equal(1, await LiveContextsAsync(served));
            var held = await TlsClientConnection.OpenAsync(served.Inbound, "r0.test");
            Assert.StartsWith("HTTP/1.1 200", await held.GetAsync("/before"), StringComparison.Ordinal);

            for (var i = 1; i <= 2; i++)
            {
                await served.Plane.PushAckedAsync(Sds, $"s{i + 1}", [await SecretAsync("default", await certificates.IssueAsync($"r{i}.test"))]);
                Assert.Contains($"CN=r{i}.test", await served.WaitForSubjectAsync(certificates, $"r{i}.test"), StringComparison.Ordinal);
            }

            // The newest, and the first (held by the open connection); the one between had no connection left.
            await WaitForLiveContextsAsync(served, 2);
            Assert.StartsWith("HTTP/1.1 200", await held.GetAsync("/after"), StringComparison.Ordinal);
            await held.DisposeAsync();
            await WaitForLiveContextsAsync(served, 1);
            await served.Proxy.StopCleanlyAsync();
        }
    }

    private static async Task<long> LiveContextsAsync(SdsServedListener served)
    {
        using var certs = JsonDocument.Parse(await served.Proxy.AdminGetAsync("/certs"));
        return certs.RootElement.GetProperty("live_server_contexts").GetInt64();
    }

    private static async Task WaitForLiveContextsAsync(SdsServedListener served, long expected)
    {
        var deadline = DateTime.UtcNow + Deadline;
        long live;
        while ((live = await LiveContextsAsync(served)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.True(live == expected, $"live listener contexts: {live}, expected {expected}\n{served.Proxy.Describe()}");
    }
}
