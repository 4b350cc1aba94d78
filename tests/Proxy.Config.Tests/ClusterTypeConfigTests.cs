using MeshEdge.Config;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

public sealed class ClusterTypeConfigTests
{
    private static ConfigLoadResult Load(string clusterLines) => OneClusterConfig.LoadToml(clusterLines, "types.toml");

    [Fact]
    public void A_strict_dns_cluster_takes_names_with_weights_priorities_and_its_refresh_settings()
    {
        var config = LoadAssert.Succeeds(Load("""
            type = "strict_dns"
            dns_refresh_rate = "2s"
            dns_lookup_family = "all"
            hosts = ["backend.test:8080", { address = "standby.test:9090", weight = 2, priority = 1 }, "10.0.0.1:80"]
            """));
        var cluster = Assert.Single(config.Clusters);
        Assert.Equal(ClusterType.StrictDns, cluster.Type);
        Assert.Equal(TimeSpan.FromSeconds(2), cluster.DnsRefreshRate);
        Assert.Equal(DnsLookupFamily.All, cluster.DnsLookupFamily);
        Assert.Equal(["backend.test", "standby.test", null], cluster.Hosts.Select(h => h.Hostname));
        Assert.Equal([8080, 9090, 80], cluster.Hosts.Select(h => h.Address.Port));
        Assert.Equal([0, 1, 0], cluster.Hosts.Select(h => h.Priority));
        Assert.Equal("standby.test:9090 (weight 2 priority 1)", cluster.Hosts[1].ToString());
    }

    [Fact]
    public void An_eds_cluster_may_start_without_hosts_and_names_its_file()
    {
        var config = LoadAssert.Succeeds(Load("""
            type = "eds"
            eds_path = "/etc/meshedge/eds/app.json"
            """));
        var cluster = Assert.Single(config.Clusters);
        Assert.Equal(ClusterType.Eds, cluster.Type);
        Assert.Empty(cluster.Hosts);
        Assert.Equal("/etc/meshedge/eds/app.json", cluster.EdsPath);
    }

    [Theory]
    [InlineData("""hosts = ["backend.test:8080"]""", "clusters[0].hosts[0]: \"backend.test:8080\" is not")]
    [InlineData("type = \"strict_dns\"\nhosts = [\"backend.test:0\"]", "clusters[0].hosts[0]: port 0 is out of range")]
    [InlineData("type = \"strict_dns\"\nhosts = []", "clusters[0].hosts: at least one host is required")]
    [InlineData("type = \"dns\"\nhosts = [\"10.0.0.1:80\"]", "clusters[0].type:")]
    [InlineData("hosts = [\"10.0.0.1:80\"]\ndns_refresh_rate = \"1s\"", "clusters[0].dns_refresh_rate: needs type = \"strict_dns\"")]
    [InlineData("hosts = [\"10.0.0.1:80\"]\neds_path = \"/x.json\"", "clusters[0].eds_path: needs type = \"eds\"")]
    [InlineData("""hosts = [{ address = "10.0.0.1:80", priority = 9 }]""", "clusters[0].hosts[0].priority: 9 is out of range (0..8)")]
    [InlineData("type = \"strict_dns\"\ndns_lookup_family = \"v5\"\nhosts = [\"a.test:80\"]", "clusters[0].dns_lookup_family:")]
    public void Mistakes_name_the_key(string clusterLines, string expected)
    {
        var errors = LoadAssert.Fails(Load(clusterLines));
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Health_checks_may_be_bolt_heartbeats_and_hold_new_hosts_back()
    {
        var config = LoadAssert.Succeeds(Load("""
            hosts = ["10.0.0.1:12200"]
            health_check = { type = "bolt", interval = "1s", no_traffic_until_healthy = true }
            """));
        var check = config.Clusters[0].HealthCheck!;
        Assert.Equal(HealthCheckType.Bolt, check.Type);
        Assert.True(check.NoTrafficUntilHealthy);
    }

    [Fact]
    public void Outlier_detection_reads_success_rate_and_the_ejection_cap()
    {
        var config = LoadAssert.Succeeds(Load("""
            hosts = ["10.0.0.1:80"]
            outlier_detection = { max_ejection_time = "60s", success_rate_minimum_hosts = 3, success_rate_request_volume = 20, success_rate_stdev_factor = 1000 }
            """));
        var outliers = config.Clusters[0].OutlierDetection!;
        Assert.Equal(TimeSpan.FromSeconds(60), outliers.MaxEjectionTime);
        Assert.Equal(3, outliers.SuccessRateMinimumHosts);
        Assert.Equal(20, outliers.SuccessRateRequestVolume);
        Assert.Equal(1000, outliers.SuccessRateStdevFactor);
    }
}
