using MeshEdge.Config;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

public sealed class HashPolicyConfigTests
{
    private static ConfigLoadResult Load(string hashPolicy) => ConfigLoader.LoadToml(
        $$"""
        [[listeners]]
        name = "web"
        address = "127.0.0.1:0"
        protocol = "http"
        [listeners.http]
        [[listeners.http.virtual_hosts]]
        name = "all"
        routes = [{ match = { prefix = "/" }, cluster = "app", hash_policy = {{hashPolicy}} }]

        [[clusters]]
        name = "app"
        lb_policy = "ring_hash"
        hosts = ["127.0.0.1:8080"]
        """,
        "hash.toml");

    [Theory]
    [InlineData("""{ header = "X-User" }""", HashPolicyKind.Header, "x-user")]
    [InlineData("""{ cookie = "session" }""", HashPolicyKind.Cookie, "session")]
    [InlineData("""{ source_ip = true }""", HashPolicyKind.SourceIp, "")]
    public void Each_kind_is_read(string policy, HashPolicyKind kind, string name)
    {
        var config = LoadAssert.Succeeds(Load(policy));
        var route = config.Listeners[0].Http!.VirtualHosts[0].Routes[0];
        Assert.Equal(new HashPolicyConfig(kind, name), route.HashPolicy);
    }

    [Theory]
    [InlineData("""{ header = "x", cookie = "y" }""", "listeners[0].http.virtual_hosts[0].routes[0].hash_policy: a hash policy needs exactly one of")]
    [InlineData("""{ }""", "listeners[0].http.virtual_hosts[0].routes[0].hash_policy: a hash policy needs exactly one of")]
    [InlineData("""{ header = "a b" }""", "listeners[0].http.virtual_hosts[0].routes[0].hash_policy.header: \"a b\" is not a header name")]
    [InlineData("""{ query = "id" }""", "listeners[0].http.virtual_hosts[0].routes[0].hash_policy.query: unknown key")]
    public void Mistakes_name_the_key(string policy, string expected)
    {
        var errors = LoadAssert.Fails(Load(policy));
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }
}
