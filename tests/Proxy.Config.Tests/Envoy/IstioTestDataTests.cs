using MeshEdge.Config.Tests.TestSupport;
using MeshEdge.Config.Translation;

namespace MeshEdge.Config.Tests.Envoy;

/// <summary>Real istiod/istio-agent output (Apache-2.0 test data of the Istio project, see TestData/istio/NOTICE).</summary>
public sealed class IstioTestDataTests
{
    private static readonly string Directory = Path.Combine(RepoRoot.Find(), "tests", "Proxy.Config.Tests", "TestData", "istio");

    private static ResourceSupport Counts(ConfigLoadResult result, string type) => Assert.Single(result.Translation!.Resources, r => r.Type == type);

    [Fact]
    public void The_sidecar_bootstrap_istio_agent_generates_runs_its_static_part()
    {
        var result = ConfigLoader.LoadFile(Path.Combine(Directory, "bootstrap_default.json"));

        var config = LoadAssert.Succeeds(result);
        Assert.Equal(["0.0.0.0_15090", "0.0.0.0_15021"], config.Listeners.Select(l => l.Name));
        Assert.Equal(["prometheus_stats", "agent"], config.Clusters.Select(c => c.Name));
        Assert.Equal(new Model.AdsConfig("DELTA_GRPC", "xds-grpc"), config.Ads);
        Assert.Equal("sidecar~1.2.3.4~foo~bar", config.Node!.Id);
        Assert.Equal((2, 0, 2, 0), Tuple(Counts(result, "listener")));
        Assert.Equal((4, 2, 0, 2), Tuple(Counts(result, "cluster")));
        Assert.DoesNotContain(result.Translation!.Unsupported, u => u.Path.StartsWith("dynamic_resources", StringComparison.Ordinal));
        Assert.Contains(result.Translation.Unsupported, u => u.Path == "static_resources.clusters[3].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.pipe");
    }

    [Fact]
    public void A_config_dump_gives_the_support_report()
    {
        var result = ConfigLoader.LoadFile(Path.Combine(Directory, "config_dump.json"));

        LoadAssert.Succeeds(result);
        Assert.Equal("Envoy config dump", result.Translation!.Format);
        Assert.Equal((2, 1, 0, 1), Tuple(Counts(result, "listener")));
        Assert.Equal((3, 2, 1, 0), Tuple(Counts(result, "cluster")));
        Assert.Contains(result.Translation.Unsupported, u => u.Path == "configs[3].dynamic_listeners[0].active_state.listener" && u.Reason.StartsWith("internal listeners", StringComparison.Ordinal));
        Assert.Contains(result.Translation.Unsupported, u => u.Path == "configs[6]" && u.Reason.StartsWith("envoy.admin.v3.SecretsConfigDump", StringComparison.Ordinal));
    }

    private static (int, int, int, int) Tuple(ResourceSupport counts) => (counts.Total, counts.Supported, counts.Partly, counts.Unsupported);
}
