using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

public sealed class ErrorCollectionTests
{
    [Fact]
    public void Two_mistakes_give_two_errors()
    {
        var toml = SampleConfigs.TomlWith(address: "\"127.0.0.1:70000\"", hosts: "[\"foo:80\"]");

        var errors = LoadAssert.Fails(ConfigLoader.LoadToml(toml, "two.toml"));

        Assert.Equal(2, errors.Length);
        Assert.StartsWith("listeners[0].address: port 70000", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("clusters[0].hosts[0]: \"foo:80\"", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_mistake_in_a_document_is_reported()
    {
        const string Toml = """
            version = 2

            [runtime]
            workers = 5000
            log_level = "loud"
            drain_timeout = "soon"

            [[listeners]]
            name = "bad name"
            address = "[::1]:99999"
            protocol = "udp"
            max_connections = 0
            buffer_limit = "1TB"
            tcp_proxy = { cluster = "nope", idle_timeout = "-1s", max_connect_attempts = 0, extra = 1 }

            [[clusters]]
            name = "c"
            type = "dns"
            lb_policy = "fastest"
            connect_timeout = "0ms"
            hosts = ["1.2.3.4:0", "example.com:80"]
            """;

        var result = ConfigLoader.LoadToml(Toml, "all.toml");

        var paths = result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            [
                "clusters[0].connect_timeout",
                "clusters[0].hosts[0]",
                "clusters[0].hosts[1]",
                "clusters[0].lb_policy",
                "clusters[0].type",
                "listeners[0].address",
                "listeners[0].buffer_limit",
                "listeners[0].max_connections",
                "listeners[0].name",
                "listeners[0].protocol",
                "listeners[0].tcp_proxy.cluster",
                "listeners[0].tcp_proxy.extra",
                "listeners[0].tcp_proxy.idle_timeout",
                "listeners[0].tcp_proxy.max_connect_attempts",
                "runtime.drain_timeout",
                "runtime.log_level",
                "runtime.workers",
                "version",
            ],
            paths);
        Assert.All(result.Errors, e => Assert.True(e.Line > 0, $"no line for {e}"));
    }

    [Fact]
    public void A_bad_entry_does_not_cause_follow_on_errors()
    {
        // The second listener's address is invalid; it must not also "clash" with anything, and
        // the bad cluster name must not also be reported as a duplicate or unknown reference.
        var toml = SampleConfigs.TomlWith(
            tail: "[[listeners]]\nname = \"two\"\naddress = \"nonsense\"\ntcp_proxy.cluster = \"local_app\"\n"
                + "[[clusters]]\nname = \"bad name\"\nhosts = [\"127.0.0.1:1\"]");

        var errors = LoadAssert.Fails(ConfigLoader.LoadToml(toml, "f.toml"));

        Assert.Equal(2, errors.Length);
        Assert.StartsWith("listeners[1].address:", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("clusters[1].name:", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Port_zero_never_conflicts()
    {
        var toml = SampleConfigs.TomlWith(
            address: "\"127.0.0.1:0\"",
            tail: "[[listeners]]\nname = \"two\"\naddress = \"127.0.0.1:0\"\ntcp_proxy.cluster = \"local_app\"");

        LoadAssert.Succeeds(ConfigLoader.LoadToml(toml, "zero.toml"));
    }

    [Fact]
    public void Same_port_on_different_addresses_is_allowed()
    {
        var toml = SampleConfigs.TomlWith(
            tail: "[[listeners]]\nname = \"two\"\naddress = \"127.0.0.2:10000\"\ntcp_proxy.cluster = \"local_app\"\n"
                + "[[listeners]]\nname = \"six\"\naddress = \"[::1]:10000\"\ntcp_proxy.cluster = \"local_app\"");

        LoadAssert.Succeeds(ConfigLoader.LoadToml(toml, "ports.toml"));
    }
}
