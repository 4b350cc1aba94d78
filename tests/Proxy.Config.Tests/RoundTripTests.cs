using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

public sealed class RoundTripTests
{
    [Fact]
    public void Toml_sample_binds_to_the_expected_model()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(SampleConfigs.Toml, "sample.toml"));

        ModelAssert.Equal(SampleConfigs.Expected("sample.toml"), config);
    }

    [Fact]
    public void Json_sample_binds_to_the_expected_model()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadJson(SampleConfigs.Json, "sample.json"));

        ModelAssert.Equal(SampleConfigs.Expected("sample.json"), config);
    }

    [Fact]
    public void Toml_and_json_of_the_same_configuration_give_equal_models()
    {
        var fromToml = LoadAssert.Succeeds(ConfigLoader.LoadToml(SampleConfigs.Toml, "a"));
        var fromJson = LoadAssert.Succeeds(ConfigLoader.LoadJson(SampleConfigs.Json, "b"));

        ModelAssert.EqualIgnoringSource(fromToml, fromJson);
    }

    [Fact]
    public void Source_is_the_name_given()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(SampleConfigs.TomlWith(), "/etc/meshedge/proxy.toml"));

        Assert.Equal("/etc/meshedge/proxy.toml", config.Source);
    }

    [Fact]
    public void Omitted_keys_take_their_defaults()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(SampleConfigs.TomlWith(), "min.toml"));

        Assert.Same(RuntimeConfig.Default, config.Runtime);
        var listener = Assert.Single(config.Listeners);
        Assert.Equal(ListenerProtocol.Tcp, listener.Protocol);
        Assert.Equal(10_000, listener.MaxConnections);
        Assert.Equal(1024 * 1024, listener.BufferLimitBytes);
        Assert.Equal(new TcpProxyConfig("local_app", TimeSpan.FromHours(1), 3), listener.TcpProxy);
        var cluster = Assert.Single(config.Clusters);
        Assert.Equal(ClusterType.Static, cluster.Type);
        Assert.Equal(LoadBalancerPolicy.RoundRobin, cluster.LbPolicy);
        Assert.Equal(TimeSpan.FromSeconds(5), cluster.ConnectTimeout);
    }

    [Fact]
    public void Empty_runtime_table_gives_the_default_runtime()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(SampleConfigs.TomlWith(head: "[runtime]"), "t.toml"));

        Assert.Equal(RuntimeConfig.Default, config.Runtime);
    }

    [Fact]
    public void Json_accepts_numbers_written_as_strings()
    {
        const string Json = """
            {
              "runtime": { "workers": "8" },
              "listeners": [ { "name": "l", "address": "127.0.0.1:1", "max_connections": "42",
                               "buffer_limit": "20000", "tcp_proxy": { "cluster": "c", "max_connect_attempts": "7" } } ],
              "clusters": [ { "name": "c", "hosts": [ "127.0.0.1:2" ] } ]
            }
            """;

        var config = LoadAssert.Succeeds(ConfigLoader.LoadJson(Json, "s.json"));

        Assert.Equal(8, config.Runtime.Workers);
        Assert.Equal(42, config.Listeners[0].MaxConnections);
        Assert.Equal(20_000, config.Listeners[0].BufferLimitBytes);
        Assert.Equal(7, config.Listeners[0].TcpProxy.MaxConnectAttempts);
    }

    [Fact]
    public void Json_empty_runtime_object_gives_the_default_runtime()
    {
        const string Json = """
            { "runtime": {},
              "listeners": [ { "name": "l", "address": "127.0.0.1:1", "tcp_proxy": { "cluster": "c" } } ],
              "clusters": [ { "name": "c", "hosts": [ "127.0.0.1:2" ] } ] }
            """;

        var config = LoadAssert.Succeeds(ConfigLoader.LoadJson(Json, "s.json"));

        Assert.Equal(RuntimeConfig.Default, config.Runtime);
    }

    [Fact]
    public void Toml_dotted_keys_and_inline_tables_are_the_same_as_headers()
    {
        const string Toml = """
            runtime.workers = 2
            listeners = [ { name = "l", address = "127.0.0.1:1", tcp_proxy.cluster = "c" } ]
            clusters = [ { name = "c", hosts = ["127.0.0.1:2"] } ]
            """;

        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(Toml, "d.toml"));

        Assert.Equal(2, config.Runtime.Workers);
        Assert.Equal("c", config.Listeners[0].TcpProxy.Cluster);
    }

    [Fact]
    public void Clusters_may_be_listed_before_the_listeners_that_use_them()
    {
        const string Toml = """
            [[clusters]]
            name = "c"
            hosts = ["127.0.0.1:2"]

            [[listeners]]
            name = "l"
            address = "127.0.0.1:1"
            tcp_proxy = { cluster = "c" }
            """;

        LoadAssert.Succeeds(ConfigLoader.LoadToml(Toml, "order.toml"));
    }
}
