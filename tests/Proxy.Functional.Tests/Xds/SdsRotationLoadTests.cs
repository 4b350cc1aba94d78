using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using MeshEdge.Functional.Tests.Tls;
using Xunit.Abstractions;
using static MeshEdge.Functional.Tests.Xds.SdsServedListener;
using static MeshEdge.Functional.Tests.Xds.XdsPlaneDriver;

namespace MeshEdge.Functional.Tests.Xds;

/// <summary>
/// The TLS issue's "certificate rotated under wrk load with 0 failed requests", with the certificate
/// sent by the control plane: while wrk runs over keep-alive connections and over one handshake per
/// request, SDS pushes three new certificates; every request succeeds and new handshakes get each.
/// </summary>
public sealed class SdsRotationLoadTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rotating_by_sds_under_wrk_load_fails_no_request_and_new_handshakes_get_each_certificate(bool delta)
    {
        using var certificates = await TestCertificates.CreateAsync();
        var first = await certificates.IssueAsync("r0.test");
        var (app, _) = NamedHttpResponder.Start("app", _ => 200);
        await using (app)
        {
            await using var served = await StartAsync(delta, app.EndPoint.Port, [await SecretAsync("default", first)], TlsListener("default"), output);
            var url = $"https://{served.Inbound}/";

            // Keep-alive connections made before the first rotation, and one full handshake per request throughout.
            var keepAlive = ToolRun.RunAsync("wrk", ["-t", "1", "-c", "8", "-d", "15s", url], TimeSpan.FromSeconds(90));
            var handshakes = ToolRun.RunAsync("wrk", ["-t", "1", "-c", "2", "-d", "15s", "-H", "Connection: close", url], TimeSpan.FromSeconds(90));
            for (var i = 1; i <= 3; i++)
            {
                await Task.Delay(1500);
                var next = await certificates.IssueAsync($"r{i}.test");
                await served.Plane.PushAckedAsync(Sds, $"s{i + 1}", [await SecretAsync("default", next)]);
                var subject = await served.WaitForSubjectAsync(certificates, $"r{i}.test");
                Assert.True(subject.Contains($"CN=r{i}.test", StringComparison.Ordinal), $"rotation {i} never reached new handshakes: {subject}\n{served.Proxy.Describe()}");
            }

            foreach (var run in new[] { await keepAlive, await handshakes })
            {
                output.WriteLine(run.Stdout);
                Assert.True(run.ExitCode == 0, run.ToString());
                Assert.DoesNotContain("Socket errors", run.Stdout, StringComparison.Ordinal);
                Assert.DoesNotContain("Non-2xx", run.Stdout, StringComparison.Ordinal);
                Assert.Matches(@"[1-9]\d* requests in", run.Stdout);
            }

            await served.Proxy.StopCleanlyAsync();
        }
    }
}
