using Envoy.Config.Route.V3;
using Google.Protobuf;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using MeshEdge.Native.Tests.Xds;
using Xunit.Abstractions;
using static MeshEdge.Functional.Tests.Xds.XdsPlaneDriver;

namespace MeshEdge.Functional.Tests.Xds;

/// <summary>
/// The AOT binary configured by the test control plane alone (its bootstrap has only the xds
/// cluster), over state of the world and delta: pushed clusters, endpoints, listeners and routes
/// make a proxy that serves; a route change and an endpoint change under wrk load fail nothing; an
/// invalid push is NACKed with the last good version and changes nothing; a removed listener stops
/// accepting; a control plane that goes away leaves traffic alone, and when it comes back the
/// client resumes from what it holds.
/// </summary>
public sealed class XdsLiveTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pushes_build_the_proxy_changes_under_load_fail_nothing_a_bad_push_is_nacked_and_a_restart_resyncs(bool delta)
    {
        var (a, _) = NamedHttpResponder.Start("a", _ => 200);
        var (b, bResponder) = NamedHttpResponder.Start("b", _ => 200);
        var (c, cResponder) = NamedHttpResponder.Start("c", _ => 200);
        var (d, dResponder) = NamedHttpResponder.Start("d", _ => 200);
        await using (a)
        await using (b)
        await using (c)
        await using (d)
        {
            await using var plane = await XdsPlaneDriver.StartAsync(delta);
            await using var proxy = await ProxyProcess.StartWithFileAsync("envoy.json", AdsBinaryTests.Bootstrap(plane.Server.Port, plane.ApiType), output);

            // Make before break: clusters, their endpoints, listeners, their routes.
            Assert.Equal("sidecar~127.0.0.1~web-1.shop~shop.svc.cluster.local", (await plane.NextAsync(Cds)).NodeId);
            IMessage[] clusters = [XdsResources.EdsCluster("alpha"), XdsResources.EdsCluster("beta"), XdsResources.EdsCluster("gamma")];
            await plane.PushAckedAsync(Cds, "c1", clusters);
            Assert.Equal(["alpha", "beta", "gamma"], (await plane.NextAsync(Eds)).Subscribed.Order());
            IMessage[] endpoints = [XdsResources.Assignment("alpha", a.EndPoint.Port), XdsResources.Assignment("beta", b.EndPoint.Port), XdsResources.Assignment("gamma", c.EndPoint.Port)];
            await plane.PushAckedAsync(Eds, "e1", endpoints);
            IMessage[] listeners = [XdsResources.HttpListener("inbound", 0, "routes"), XdsResources.HttpListener("side", 0, "routes")];
            await plane.PushAckedAsync(Lds, "l1", listeners);
            Assert.Equal(["routes"], (await plane.NextAsync(Rds)).Subscribed);
            await plane.PushAckedAsync(Rds, "r1", [Routes("routes", ("/b", "beta"), ("/", "alpha"))]);

            await proxy.WaitForLogAsync("listener started", TimeSpan.FromSeconds(30), line => line.Get("listener") == "side");
            var inbound = proxy.ListenerAddress("inbound");
            Assert.Equal("a", await GetAsync(inbound, "/x"));
            Assert.Equal("b", await GetAsync(inbound, "/b/x"));

            // Under wrk: /b moves from beta to gamma (RDS), then gamma's endpoint moves from c to d (EDS).
            var wrk = ToolRun.RunAsync("wrk", ["-t", "1", "-c", "4", "-d", "10s", $"http://{inbound}/b/x"], TimeSpan.FromSeconds(90));
            Assert.True(await Progress.WaitUntilAsync(() => bResponder.Requests >= 50, TimeSpan.FromSeconds(30)), $"wrk did not get going: beta answered {bResponder.Requests}\n{proxy.Describe()}");
            await plane.PushAckedAsync(Rds, "r2", [Routes("routes", ("/b", "gamma"), ("/", "alpha"))]);
            Assert.True(await Progress.WaitUntilAsync(() => cResponder.Requests >= 50, TimeSpan.FromSeconds(30)), $"the route change did not reach wrk: gamma answered {cResponder.Requests}\n{proxy.Describe()}");
            endpoints[2] = XdsResources.Assignment("gamma", d.EndPoint.Port);
            await plane.PushAckedAsync(Eds, "e2", endpoints, [endpoints[2]]);
            Assert.True(await Progress.WaitUntilAsync(() => dResponder.Requests >= 50, TimeSpan.FromSeconds(30)), $"the endpoint change did not reach wrk: d answered {dResponder.Requests}\n{proxy.Describe()}");
            var load = await wrk;
            Assert.True(load.ExitCode == 0, load.ToString());
            Assert.True(!load.Stdout.Contains("Non-2xx", StringComparison.Ordinal) && !load.Stdout.Contains("Socket errors", StringComparison.Ordinal), $"wrk failed requests across the pushes:\n{load}\n{proxy.Describe()}");

            // An invalid resource beside valid ones: NACKed with the last good version, naming it; traffic unchanged.
            var nonce = await plane.PushAsync(Cds, "c2", [.. clusters, XdsResources.TlsCluster("secure", 9443)], [XdsResources.TlsCluster("secure", 9443)]);
            var nack = await plane.NextAsync(Cds);
            Assert.Equal(nonce, nack.Nonce);
            Assert.Contains("CDS secure: transport_socket", nack.Error, StringComparison.Ordinal);
            Assert.Equal(delta ? "" : "c1", nack.Version);
            Assert.Equal("d", await GetAsync(inbound, "/b/x"));

            // A listener removed: it stops accepting; the other serves on.
            var side = proxy.ListenerAddress("side");
            await plane.PushAckedAsync(Lds, "l2", [listeners[0]], [], "side");
            await proxy.WaitForLogAsync("listener removed, draining", TimeSpan.FromSeconds(30), line => line.Get("listener") == "side");
            Assert.True(await Loopback.IsRefusedAsync(side), $"the removed listener {side} still accepts\n{proxy.Describe()}");
            Assert.Equal("a", await GetAsync(inbound, "/x"));

            // The control plane goes away: the last good config serves on. It comes back: the client resumes.
            await plane.RestartAsync(async () =>
            {
                await proxy.WaitForLogAsync("xds: stream failed; the last good config stays", TimeSpan.FromSeconds(30));
                Assert.Equal("d", await GetAsync(inbound, "/b/x"));
            });
            var resumed = await plane.NextAsync(Cds);
            Assert.Equal("sidecar~127.0.0.1~web-1.shop~shop.svc.cluster.local", resumed.NodeId);
            if (delta)
            {
                Assert.Equal(["alpha", "beta", "gamma"], resumed.Held);
            }
            else
            {
                Assert.Equal("c1", resumed.Version);
            }

            await plane.PushAckedAsync(Cds, "c3", clusters);
            Assert.Equal("d", await GetAsync(inbound, "/b/x"));
            var metrics = await proxy.AdminGetAsync("/metrics");
            Assert.Contains("meshedge_xds_connected{type=\"CDS\"} 1", metrics, StringComparison.Ordinal);
            Assert.Contains("meshedge_xds_rejections_total{type=\"CDS\"} 1", metrics, StringComparison.Ordinal);
            await proxy.StopCleanlyAsync();
        }
    }

    private static RouteConfiguration Routes(string name, params (string Prefix, string Cluster)[] routes)
    {
        var host = new VirtualHost { Name = "all" };
        host.Domains.Add("*");
        foreach (var (prefix, cluster) in routes)
        {
            host.Routes.Add(new Route { Match = new RouteMatch { Prefix = prefix }, Route_ = new RouteAction { Cluster = cluster } });
        }

        var table = new RouteConfiguration { Name = name };
        table.VirtualHosts.Add(host);
        return table;
    }

    private static async Task<string> GetAsync(System.Net.IPEndPoint listener, string path) =>
        (await ToolRun.CurlAsync("-s", "--max-time", "10", $"http://{listener}{path}")).Stdout;
}
