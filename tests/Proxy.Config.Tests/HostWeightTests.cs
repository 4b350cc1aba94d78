using MeshEdge.Config;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

public sealed class HostWeightTests
{
    private static ConfigLoadResult Load(string hosts, string policy = "round_robin") =>
        OneClusterConfig.LoadToml($"lb_policy = \"{policy}\"\nhosts = {hosts}", "weights.toml");

    /// <summary>One listener and one cluster "app" with one host, plus <paramref name="clusterLines"/>.</summary>
    private static ConfigLoadResult LoadCluster(string clusterLines) => OneClusterConfig.LoadToml($"{OneClusterConfig.Hosts}\n{clusterLines}");

    [Fact]
    public void Hosts_may_mix_plain_addresses_and_weighted_tables()
    {
        var result = Load("""["127.0.0.1:8080", { address = "127.0.0.2:8080", weight = 3 }]""");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var hosts = Assert.Single(result.Config.Clusters).Hosts;
        Assert.Equal([1, 3], hosts.Select(h => h.Weight));
        Assert.Equal("127.0.0.2:8080", hosts[1].Address.ToString());
    }

    [Theory]
    [InlineData("round_robin", LoadBalancerPolicy.RoundRobin)]
    [InlineData("least_request", LoadBalancerPolicy.LeastRequest)]
    [InlineData("random", LoadBalancerPolicy.Random)]
    [InlineData("ring_hash", LoadBalancerPolicy.RingHash)]
    [InlineData("maglev", LoadBalancerPolicy.Maglev)]
    public void Every_policy_name_is_accepted(string name, LoadBalancerPolicy expected)
    {
        var result = Load("""["127.0.0.1:8080"]""", name);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(expected, Assert.Single(result.Config.Clusters).LbPolicy);
    }

    [Theory]
    [InlineData("""[{ address = "127.0.0.1:8080", weight = 0 }]""", "clusters[0].hosts[0].weight: 0 is out of range (1..1000)")]
    [InlineData("""[{ address = "127.0.0.1:8080", weight = 1001 }]""", "clusters[0].hosts[0].weight: 1001 is out of range (1..1000)")]
    [InlineData("""[{ address = "127.0.0.1:8080", wieght = 2 }]""", "clusters[0].hosts[0].wieght: unknown key")]
    [InlineData("""[{ weight = 2 }]""", "clusters[0].hosts[0].address: missing required key")]
    [InlineData("""[{ address = "127.0.0.1:0" }]""", "clusters[0].hosts[0].address: port 0 is out of range")]
    public void Weighted_host_errors_name_the_key(string hosts, string expected)
    {
        var result = Load(hosts);
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => $"{e.Path}: {e.Reason}".StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Circuit_breakers_default_to_envoys_limit_and_can_be_set()
    {
        var plain = Load("""["127.0.0.1:8080"]""");
        Assert.Equal(new CircuitBreakerConfig(1024, 1024, 1024, 3), Assert.Single(plain.Config!.Clusters).CircuitBreakers);

        var set = LoadCluster("[clusters.circuit_breakers]\nmax_connections = 2");
        Assert.True(set.Succeeded, string.Join("\n", set.Errors));
        Assert.Equal(new CircuitBreakerConfig(2, 1024, 1024, 3), Assert.Single(set.Config.Clusters).CircuitBreakers);
    }

    [Fact]
    public void Every_circuit_breaker_binds()
    {
        var set = LoadCluster("""
            [clusters.circuit_breakers]
            max_connections = 10
            max_pending_requests = 20
            max_requests = 30
            max_retries = 0
            """);

        Assert.True(set.Succeeded, string.Join("\n", set.Errors));
        Assert.Equal(new CircuitBreakerConfig(10, 20, 30, 0), Assert.Single(set.Config.Clusters).CircuitBreakers);
    }

    [Theory]
    [InlineData("max_pending_requests = 0", "clusters[0].circuit_breakers.max_pending_requests: 0 is out of range")]
    [InlineData("max_requests = 0", "clusters[0].circuit_breakers.max_requests: 0 is out of range")]
    [InlineData("max_requests = \"many\"", "clusters[0].circuit_breakers.max_requests: expected an integer")]
    [InlineData("max_retries = -1", "clusters[0].circuit_breakers.max_retries: -1 is out of range")]
    [InlineData("max_retry = 2", "clusters[0].circuit_breakers.max_retry: unknown key")]
    public void Each_circuit_breaker_error_names_its_key(string entry, string expected)
    {
        var result = LoadCluster($"circuit_breakers = {{ {entry} }}");

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => $"{e.Path}: {e.Reason}".StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Circuit_breaker_errors_name_the_key()
    {
        var result = LoadCluster("circuit_breakers = { max_connections = 0, max_pending = 3 }");
        Assert.Contains(result.Errors, e => e.Path == "clusters[0].circuit_breakers.max_connections" && e.Reason.StartsWith("0 is out of range", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Path == "clusters[0].circuit_breakers.max_pending" && e.Reason.StartsWith("unknown key", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tcp_health_check_is_read_with_its_defaults()
    {
        var result = LoadCluster("""
            [clusters.health_check]
            type = "tcp"
            interval = "2s"
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(
            new HealthCheckConfig(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 2, 1),
            Assert.Single(result.Config.Clusters).HealthCheck);
        Assert.Null(Load("""["127.0.0.1:8080"]""").Config!.Clusters[0].HealthCheck);
    }

    [Fact]
    public void Health_check_errors_name_the_key()
    {
        var result = LoadCluster("""health_check = { type = "grpc", interval = "0s", unhealthy_threshold = 0 }""");
        Assert.Contains(result.Errors, e => e.Path == "clusters[0].health_check.type");
        Assert.Contains(result.Errors, e => e.Path == "clusters[0].health_check.interval");
        Assert.Contains(result.Errors, e => e.Path == "clusters[0].health_check.unhealthy_threshold");
    }
}
