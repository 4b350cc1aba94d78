using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary>tcp_proxy.sni_routes (TLS passthrough by server name), inspect_timeout and max_client_hello_size, in TOML and JSON alike.</summary>
public sealed class SniRouteConfigTests
{
    private const string Clusters = "[[clusters]]\nname = \"a\"\nhosts = [\"127.0.0.1:8001\"]\n[[clusters]]\nname = \"b\"\nhosts = [\"127.0.0.1:8002\"]\n";

    private const string Head = "[[listeners]]\nname = \"tls\"\naddress = \"127.0.0.1:8443\"\n[listeners.tcp_proxy]\n";

    private const string JsonClusters = """[ { "name": "a", "hosts": ["127.0.0.1:8001"] }, { "name": "b", "hosts": ["127.0.0.1:8002"] } ]""";

    [Fact]
    public void Routes_the_default_and_the_bounds_are_bound()
    {
        var toml = Head + "cluster = \"b\"\ninspect_timeout = \"2s\"\nmax_client_hello_size = \"32KiB\"\n"
            + "[[listeners.tcp_proxy.sni_routes]]\nserver_names = [\"A.example.com\", \"*.b.example.com\"]\ncluster = \"a\"\n"
            + "[[listeners.tcp_proxy.sni_routes]]\nserver_names = [\"c.example.com\"]\ncluster = \"b\"\n" + Clusters;
        var json = """{ "listeners": [ { "name": "tls", "address": "127.0.0.1:8443", "tcp_proxy": { "cluster": "b", "inspect_timeout": "2s", "max_client_hello_size": "32KiB", "sni_routes": [ """
            + """{ "server_names": ["A.example.com", "*.b.example.com"], "cluster": "a" }, { "server_names": ["c.example.com"], "cluster": "b" } ] } } ], "clusters": """ + JsonClusters + " }";

        foreach (var config in new[] { ConfigLoader.LoadToml(toml, "sni.toml"), ConfigLoader.LoadJson(json, "sni.json") })
        {
            var tcp = LoadAssert.Succeeds(config).Listeners[0].TcpProxy;
            Assert.Equal("b", tcp.Cluster);
            Assert.Equal(TimeSpan.FromSeconds(2), tcp.InspectTimeout);
            Assert.Equal(32 * 1024, tcp.MaxClientHelloBytes);
            Assert.Equal(2, tcp.SniRoutes.Length);
            Assert.Equal(["a.example.com", "*.b.example.com"], tcp.SniRoutes[0].ServerNames.ToArray());
            Assert.Equal("a", tcp.SniRoutes[0].Cluster);
            Assert.Equal(["c.example.com"], tcp.SniRoutes[1].ServerNames.ToArray());
        }
    }

    [Fact]
    public void Without_a_cluster_the_routes_stand_alone_and_the_bounds_have_defaults()
    {
        var toml = Head + "[[listeners.tcp_proxy.sni_routes]]\nserver_names = [\"a.example.com\"]\ncluster = \"a\"\n" + Clusters;

        var tcp = LoadAssert.Succeeds(ConfigLoader.LoadToml(toml, "sni.toml")).Listeners[0].TcpProxy;

        Assert.Equal("", tcp.Cluster);
        Assert.True(tcp.IsConfigured);
        Assert.Equal(TimeSpan.FromSeconds(5), tcp.InspectTimeout);
        Assert.Equal(16 * 1024, tcp.MaxClientHelloBytes);
    }

    [Fact]
    public void An_auto_listener_may_fall_back_to_sni_routes_alone()
    {
        var toml = "[[listeners]]\nname = \"mixed\"\naddress = \"127.0.0.1:8443\"\nprotocol = \"auto\"\n[listeners.tcp_proxy]\n"
            + "[[listeners.tcp_proxy.sni_routes]]\nserver_names = [\"a.example.com\"]\ncluster = \"a\"\n" + Clusters;

        Assert.Single(LoadAssert.Succeeds(ConfigLoader.LoadToml(toml, "sni.toml")).Listeners[0].TcpProxy.SniRoutes);
    }

    public static TheoryData<string, string> ErrorCases => new()
    {
        { Route("[\"a.example.com\"]", "nope"), "listeners[0].tcp_proxy.sni_routes[0].cluster: unknown cluster \"nope\"" },
        { Route("[]", "a"), "listeners[0].tcp_proxy.sni_routes[0].server_names: at least one server name is required" },
        { Head + "[[listeners.tcp_proxy.sni_routes]]\ncluster = \"a\"\n" + Clusters, "listeners[0].tcp_proxy.sni_routes[0].server_names: missing required key" },
        {
            Route("[\"a.*\"]", "a"),
            "listeners[0].tcp_proxy.sni_routes[0].server_names[0]: \"a.*\" is not a server name (a host name like \"a.example.com\", or \"*.example.com\" for any name under it)"
        },
        { Route("[\"ok.example.com\", \"*\"]", "a"), "listeners[0].tcp_proxy.sni_routes[0].server_names[1]: \"*\" is not a server name (a host name like \"a.example.com\", or \"*.example.com\" for any name under it)" },
        { Route("[\"*.*.example.com\"]", "a"), "listeners[0].tcp_proxy.sni_routes[0].server_names[0]: \"*.*.example.com\" is not a server name (a host name like \"a.example.com\", or \"*.example.com\" for any name under it)" },
        { Route("[\"a..example.com\"]", "a"), "listeners[0].tcp_proxy.sni_routes[0].server_names[0]: \"a..example.com\" is not a server name (a host name like \"a.example.com\", or \"*.example.com\" for any name under it)" },
        { Route("[\"a.example.com\", \"A.example.com\"]", "a"), "listeners[0].tcp_proxy.sni_routes[0].server_names[1]: \"a.example.com\" is listed twice" },
        {
            Head + "[[listeners.tcp_proxy.sni_routes]]\nserver_names = [\"a.example.com\"]\ncluster = \"a\"\n[[listeners.tcp_proxy.sni_routes]]\nserver_names = [\"a.example.com\"]\ncluster = \"b\"\n" + Clusters,
            "listeners[0].tcp_proxy.sni_routes[1].server_names[0]: \"a.example.com\" is already routed by sni_routes[0]"
        },
        { Head + "cluster = \"a\"\nsni_routes = []\n" + Clusters, "listeners[0].tcp_proxy.sni_routes: at least one route is required (or leave sni_routes out)" },
        { Head + "cluster = \"a\"\ninspect_timeout = \"1s\"\n" + Clusters, "listeners[0].tcp_proxy.inspect_timeout: only a tcp_proxy with sni_routes reads the ClientHello" },
        { Head + "sni_routes = [{ server_names = [\"a.b\"], cluster = \"a\", extra = 1 }]\n" + Clusters, "listeners[0].tcp_proxy.sni_routes[0].extra: unknown key" },
        {
            Head + "max_client_hello_size = \"1MiB\"\nsni_routes = [{ server_names = [\"a.b\"], cluster = \"a\" }]\n" + Clusters,
            "listeners[0].tcp_proxy.max_client_hello_size: \"1MiB\" is out of range (1024..65536 bytes)"
        },
        { Head + "inspect_timeout = \"0s\"\nsni_routes = [{ server_names = [\"a.b\"], cluster = \"a\" }]\n" + Clusters, "listeners[0].tcp_proxy.inspect_timeout: \"0s\" must be greater than zero" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Mistakes_are_reported_with_their_key_path(string toml, string expected)
    {
        Assert.Equal([expected], LoadAssert.Fails(ConfigLoader.LoadToml(toml, "sni.toml")));
    }

    [Fact]
    public void Json_reports_the_same_mistakes()
    {
        var json = """{ "listeners": [ { "name": "tls", "address": "127.0.0.1:8443", "tcp_proxy": { "sni_routes": [ { "server_names": ["ok.example.com", "bad name"], "cluster": "nope" } ] } } ], "clusters": """ + JsonClusters + " }";
        var toml = Route("[\"ok.example.com\", \"bad name\"]", "nope");

        string[] expected =
        [
            "listeners[0].tcp_proxy.sni_routes[0].server_names[1]: \"bad name\" is not a server name (a host name like \"a.example.com\", or \"*.example.com\" for any name under it)",
            "listeners[0].tcp_proxy.sni_routes[0].cluster: unknown cluster \"nope\"",
        ];
        Assert.Equal(expected, LoadAssert.Fails(ConfigLoader.LoadJson(json, "sni.json")));
        Assert.Equal(expected, LoadAssert.Fails(ConfigLoader.LoadToml(toml, "sni.toml")));
    }

    [Fact]
    public void A_plain_tcp_proxy_still_needs_its_cluster()
    {
        Assert.Equal(["listeners[0].tcp_proxy.cluster: missing required key"], LoadAssert.Fails(ConfigLoader.LoadToml(Head + "idle_timeout = \"1s\"\n" + Clusters, "sni.toml")));
    }

    private static string Route(string serverNames, string cluster) =>
        Head + $"[[listeners.tcp_proxy.sni_routes]]\nserver_names = {serverNames}\ncluster = \"{cluster}\"\n" + Clusters;
}
