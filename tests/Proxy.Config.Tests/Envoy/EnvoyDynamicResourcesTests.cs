using MeshEdge.Config.Tests.TestSupport;
using static MeshEdge.Config.Tests.Envoy.EnvoyBootstrapText;

namespace MeshEdge.Config.Tests.Envoy;

/// <summary>A bootstrap's dynamic_resources: ADS (GRPC or DELTA_GRPC through a static cluster) is taken for the xDS client; other sources are reported.</summary>
public sealed class EnvoyDynamicResourcesTests
{
    private const string Ads = """ "dynamic_resources": { "ads_config": { "api_type": "GRPC", "grpc_services": [ { "envoy_grpc": { "cluster_name": "xds" } } ] }, "cds_config": { "ads": {}, "initial_fetch_timeout": "5s" }, "lds_config": { "ads": {}, "resource_api_version": "V3" } }, """;

    private static ConfigLoadResult Load(string json) => ConfigLoader.LoadJson(json, "envoy.json");

    [Fact]
    public void Ads_is_taken_without_a_warning_and_a_bootstrap_needs_no_static_listener()
    {
        var result = Load($$"""{ {{Ads}} "static_resources": { "clusters": [ {{Cluster("xds", port: 18000)}} ] } }""");

        var config = LoadAssert.Succeeds(result);
        Assert.Empty(config.Listeners);
        Assert.Equal(new Model.AdsConfig("GRPC", "xds"), config.Ads);
        Assert.DoesNotContain(result.Translation!.Unsupported, u => u.Path.StartsWith("dynamic_resources", StringComparison.Ordinal));
    }

    [Fact]
    public void Sources_other_than_ads_are_reported_by_path()
    {
        var rest = """ "dynamic_resources": { "ads_config": { "api_type": "REST", "grpc_services": [ { "envoy_grpc": { "cluster_name": "xds" } } ] }, "lds_config": { "path_config_source": { "path": "/etc/lds.yaml" } } }, """;

        var result = Load(Bootstrap(Listener(TcpFilter()), Cluster(), top: rest));

        var config = LoadAssert.Succeeds(result);
        Assert.Null(config.Ads);
        Assert.Contains(result.Translation!.Unsupported, u => u.Path == "dynamic_resources.ads_config.api_type" && u.Reason.Contains("REST", StringComparison.Ordinal));
        Assert.Contains(result.Translation.Unsupported, u => u.Path == "dynamic_resources.lds_config");
    }

    [Fact]
    public void Without_ads_a_bootstrap_still_needs_a_listener()
    {
        var result = Load($$"""{ "static_resources": { "clusters": [ {{Cluster()}} ] } }""");

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Reason.Contains("at least one listener", StringComparison.Ordinal));
    }
}
