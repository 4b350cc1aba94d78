using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary>The <c>protocol = "bolt"</c> listener and its <c>[listeners.rpc_proxy]</c> table: valid shapes bind to
/// the model, and each mistake gives one error with its key path.</summary>
public sealed class RpcProxyConfigTests
{
    private const string Clusters = """

        [[clusters]]
        name = "a"
        hosts = ["127.0.0.1:12200"]

        [[clusters]]
        name = "b"
        hosts = ["127.0.0.1:12201"]
        """;

    private static string Bolt(string rpcProxy) => $"""
        [[listeners]]
        name = "bolt"
        address = "127.0.0.1:12220"
        protocol = "bolt"
        [listeners.rpc_proxy]
        {rpcProxy}
        {Clusters}
        """;

    [Fact]
    public void Routes_bind_in_order_with_every_kind_of_match()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(Bolt("""
            timeout = "1500ms"
            cluster = "b"
            max_connect_attempts = 2
            connections_per_host = 4
            max_frame_size = "4MiB"
            upstream_heartbeat_interval = "0s"
            flush = "read"
            connection_affinity = "none"
            routes = [
              { match = { service = "com.foo.Echo:1.0" }, cluster = "a", timeout = "250ms" },
              { match = { service_prefix = "com.bar.", method = "sayHello", headers = { tenant = "t1", zone = "z" } }, cluster = "b" },
              { match = { service_regex = "com\\.baz\\..*:2\\.0" }, cluster = "a" },
              { cluster = "b" },
            ]
            """), "bolt.toml"));

        var listener = Assert.Single(config.Listeners);
        Assert.Equal(ListenerProtocol.Bolt, listener.Protocol);
        var rpc = Assert.IsType<RpcProxyConfig>(listener.RpcProxy);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), rpc.Timeout);
        Assert.Equal("b", rpc.Cluster);
        Assert.Equal(2, rpc.MaxConnectAttempts);
        Assert.Equal(4, rpc.ConnectionsPerHost);
        Assert.Equal(4 * 1024 * 1024, rpc.MaxFrameSize);
        Assert.Equal(TimeSpan.Zero, rpc.UpstreamHeartbeatInterval);
        Assert.Equal(RpcFlush.Read, rpc.Flush);
        Assert.Equal(RpcConnectionAffinity.None, rpc.ConnectionAffinity);
        Assert.Equal(4, rpc.Routes.Length);

        Assert.Equal("com.foo.Echo:1.0", rpc.Routes[0].Match.Service);
        Assert.Equal(TimeSpan.FromMilliseconds(250), rpc.Routes[0].Timeout);
        Assert.Equal("a", rpc.Routes[0].Cluster);

        var second = rpc.Routes[1].Match;
        Assert.Equal("com.bar.", second.ServicePrefix);
        Assert.Equal("sayHello", second.Method);
        Assert.Equal([new("tenant", "t1"), new("zone", "z")], second.Headers.ToArray());
        Assert.Null(rpc.Routes[1].Timeout);

        Assert.Equal("com\\.baz\\..*:2\\.0", rpc.Routes[2].Match.ServiceRegex);
        var any = rpc.Routes[3].Match;
        Assert.True(any.Service is null && any.ServicePrefix is null && any.ServiceRegex is null && any.Method is null && any.Headers.IsEmpty);
    }

    [Fact]
    public void Defaults_apply_when_only_a_fallback_cluster_is_given()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(Bolt("cluster = \"a\""), "bolt.toml"));

        var rpc = config.Listeners[0].RpcProxy!;
        Assert.Empty(rpc.Routes);
        Assert.Equal(TimeSpan.FromSeconds(3), rpc.Timeout);
        Assert.Equal(3, rpc.MaxConnectAttempts);
        Assert.Equal(4, rpc.ConnectionsPerHost);
        Assert.Equal(16 * 1024 * 1024, rpc.MaxFrameSize);
        Assert.Equal(TimeSpan.FromSeconds(30), rpc.UpstreamHeartbeatInterval);
        Assert.Equal(RpcFlush.Turn, rpc.Flush);
        Assert.Equal(RpcConnectionAffinity.Client, rpc.ConnectionAffinity);
    }

    [Fact]
    public void A_tcp_listener_has_no_rpc_section()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(SampleConfigs.Toml, "tcp.toml"));

        Assert.Null(config.Listeners[0].RpcProxy);
    }

    public static TheoryData<string, string> Mistakes => new()
    {
        { Bolt("routes = [ { match = { service = \"x\" }, cluster = \"nope\" } ]"), "listeners[0].rpc_proxy.routes[0].cluster: unknown cluster \"nope\"" },
        { Bolt("cluster = \"nope\""), "listeners[0].rpc_proxy.cluster: unknown cluster \"nope\"" },
        { Bolt("timeout = \"2s\""), "listeners[0].rpc_proxy: needs at least one route or a fallback cluster" },
        { Bolt("routes = [ { match = { service = \"x\", service_prefix = \"y\" }, cluster = \"a\" } ]"), "listeners[0].rpc_proxy.routes[0].match: set at most one of service, service_prefix and service_regex" },
        { Bolt("routes = [ { match = { service_regex = \"(unclosed\" }, cluster = \"a\" } ]"), "listeners[0].rpc_proxy.routes[0].match.service_regex: invalid regular expression: " },
        { Bolt("routes = [ { match = { servce = \"x\" }, cluster = \"a\" } ]"), "listeners[0].rpc_proxy.routes[0].match.servce: unknown key (did you mean \"service\"?)" },
        { Bolt("routes = [ { match = { service = \"\" }, cluster = \"a\" } ]"), "listeners[0].rpc_proxy.routes[0].match.service: must not be empty" },
        { Bolt("routes = [ { match = { headers = { tenant = 5 } }, cluster = \"a\" } ]"), "listeners[0].rpc_proxy.routes[0].match.headers.tenant: expected a string, got integer" },
        { Bolt("routes = [ { match = { service = \"x\" } } ]"), "listeners[0].rpc_proxy.routes[0].cluster: missing required key" },
        { Bolt("cluster = \"a\"\nconnections_per_host = 0"), "listeners[0].rpc_proxy.connections_per_host: 0 is out of range (1..64)" },
        { Bolt("cluster = \"a\"\nflush = \"now\""), "listeners[0].rpc_proxy.flush: unknown flush timing \"now\" (expected one of \"read\", \"turn\")" },
        { Bolt("cluster = \"a\"\nconnection_affinity = \"call\""), "listeners[0].rpc_proxy.connection_affinity: unknown connection affinity \"call\" (expected one of \"client\", \"none\")" },
        { Bolt("cluster = \"a\"\ntimeout = \"0s\""), "listeners[0].rpc_proxy.timeout: \"0s\" must be greater than zero" },
        { Bolt("cluster = \"a\"\nretries = 2"), "listeners[0].rpc_proxy.retries: unknown key" },
        {
            "[[listeners]]\nname = \"bolt\"\naddress = \"127.0.0.1:12220\"\nprotocol = \"bolt\"\n" + Clusters,
            "listeners[0].rpc_proxy: missing required table (a \"bolt\" listener needs one)"
        },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void One_mistake_gives_one_error(string toml, string expected)
    {
        var errors = LoadAssert.Fails(ConfigLoader.LoadToml(toml, "bolt.toml"));

        var error = Assert.Single(errors);
        // A regex error ends with .NET's own explanation, which is not ours to pin down.
        Assert.StartsWith(expected, error);
        if (!expected.EndsWith(": ", StringComparison.Ordinal))
        {
            Assert.Equal(expected, error);
        }
    }

    [Fact]
    public void Errors_point_at_the_line_of_the_bad_route()
    {
        var toml = Bolt("""
            routes = [
              { match = { service = "x" }, cluster = "a" },
              { match = { service = "y" }, cluster = "nope" },
            ]
            """);

        var error = LoadAssert.SingleError(ConfigLoader.LoadToml(toml, "bolt.toml"));

        var line = toml.Split('\n').ToList().FindIndex(l => l.Contains("\"nope\"", StringComparison.Ordinal)) + 1;
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void Json_binds_the_same_routes()
    {
        const string json = """
            {
              "listeners": [ { "name": "bolt", "address": "127.0.0.1:12220", "protocol": "bolt",
                "rpc_proxy": { "routes": [ { "match": { "service_prefix": "com." }, "cluster": "a" } ], "timeout": "2s" } } ],
              "clusters": [ { "name": "a", "hosts": [ "127.0.0.1:12200" ] } ]
            }
            """;

        var config = LoadAssert.Succeeds(ConfigLoader.LoadJson(json, "bolt.json"));

        var route = Assert.Single(config.Listeners[0].RpcProxy!.Routes);
        Assert.Equal("com.", route.Match.ServicePrefix);
        Assert.Equal("a", route.Cluster);
    }
}
