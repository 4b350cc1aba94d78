using MeshEdge.Config.Tests.TestSupport;
using static MeshEdge.Config.Tests.TestSupport.SampleConfigs;

namespace MeshEdge.Config.Tests;

/// <summary>Each case breaks one thing in an otherwise valid TOML document and expects exactly one
/// error, written as "path: reason".</summary>
public sealed class SchemaErrorTests
{
    public static TheoryData<string, string> Cases => new()
    {
        // Unknown keys, top level and nested, with a suggestion when one is close.
        { TomlWith(head: "listners = 1"), "listners: unknown key (did you mean \"listeners\"?)" },
        { TomlWith(head: "admin = 1"), "admin: expected a table, got integer" },
        { TomlWith(head: "adminn = 1"), "adminn: unknown key (did you mean \"admin\"?)" },
        { TomlWith(listener: "adress = \"127.0.0.1:1\""), "listeners[0].adress: unknown key (did you mean \"address\"?)" },
        { TomlWith(head: "[runtime]\nthreads = 4"), "runtime.threads: unknown key" },
        { TomlWith(tcpProxy: "retries = 1"), "listeners[0].tcp_proxy.retries: unknown key" },
        { TomlWith(clusterExtra: "weight = 1"), "clusters[0].weight: unknown key" },

        // Durations.
        { TomlWith(head: "[runtime]\ndrain_timeout = \"5 sec\""), "runtime.drain_timeout: \"5 sec\" is not a duration; expected a duration like \"5s\" (units: us, ms, s, m, h)" },
        { TomlWith(head: "[runtime]\ndrain_timeout = 30"), "runtime.drain_timeout: 30 has no unit; expected a duration like \"5s\" (units: us, ms, s, m, h)" },
        { TomlWith(head: "[runtime]\ndrain_timeout = \"-1s\""), "runtime.drain_timeout: \"-1s\" is negative; expected a duration like \"5s\" (units: us, ms, s, m, h)" },
        { TomlWith(head: "[runtime]\ndrain_timeout = true"), "runtime.drain_timeout: expected a duration like \"5s\" (units: us, ms, s, m, h), got boolean" },
        { TomlWith(tcpProxy: "idle_timeout = \"1d\""), "listeners[0].tcp_proxy.idle_timeout: \"1d\" is not a duration; expected a duration like \"5s\" (units: us, ms, s, m, h)" },
        { TomlWith(clusterExtra: "connect_timeout = \"0s\""), "clusters[0].connect_timeout: \"0s\" must be greater than zero" },

        // Sizes.
        { TomlWith(listener: "buffer_limit = \"1 GB\""), "listeners[0].buffer_limit: \"1 GB\" is not a size; expected bytes or a size like \"1MiB\" (units: B, KB, KiB, MB, MiB)" },
        { TomlWith(listener: "buffer_limit = 1024"), "listeners[0].buffer_limit: 1024 is out of range (16384..1073741824 bytes)" },
        { TomlWith(listener: "buffer_limit = \"2048MiB\""), "listeners[0].buffer_limit: \"2048MiB\" is out of range (16384..1073741824 bytes)" },
        { TomlWith(listener: "buffer_limit = \"20000.5B\""), "listeners[0].buffer_limit: \"20000.5B\" is not a whole number of bytes; expected bytes or a size like \"1MiB\" (units: B, KB, KiB, MB, MiB)" },

        // Addresses and hosts.
        { TomlWith(address: "\"127.0.0.1:70000\""), "listeners[0].address: port 70000 is out of range (0..65535)" },
        { TomlWith(address: "\"localhost:10000\""), "listeners[0].address: \"localhost:10000\" is not an IP address and port (host names are not resolved; use an IP literal)" },
        { TomlWith(address: "\"::1:10000\""), "listeners[0].address: \"::1:10000\" is not an IP address and port (write IPv6 in brackets, like \"[::1]:80\")" },
        { TomlWith(address: "\"127.0.0.1\""), "listeners[0].address: \"127.0.0.1\" is not an IP address and port (the port is missing)" },
        { TomlWith(address: "\"127.1:80\""), "listeners[0].address: \"127.1:80\" is not an IP address and port" },
        { TomlWith(hosts: "[\"127.0.0.1:8080\", \"foo:80\"]"), "clusters[0].hosts[1]: \"foo:80\" is not an IP address and port (host names are not resolved; use an IP literal)" },
        { TomlWith(hosts: "[\"127.0.0.1:0\"]"), "clusters[0].hosts[0]: port 0 is out of range (1..65535)" },
        { TomlWith(hosts: "[]"), "clusters[0].hosts: at least one host is required" },
        { TomlWith(hosts: "[8080]"), "clusters[0].hosts[0]: expected a string, got integer" },

        // References, duplicates and clashes across entries.
        { TomlWith(cluster: "\"nope\""), "listeners[0].tcp_proxy.cluster: unknown cluster \"nope\"" },
        { TomlWith(tail: "[[listeners]]\nname = \"inbound\"\naddress = \"127.0.0.1:10001\"\ntcp_proxy.cluster = \"local_app\""), "listeners[1].name: duplicate listener name \"inbound\"" },
        { TomlWith(tail: "[[listeners]]\nname = \"second\"\naddress = \"127.0.0.1:10000\"\ntcp_proxy.cluster = \"local_app\""), "listeners[1].address: address 127.0.0.1:10000 is already used by listeners[0]" },
        { TomlWith(tail: "[[listeners]]\nname = \"all\"\naddress = \"0.0.0.0:10000\"\ntcp_proxy.cluster = \"local_app\""), "listeners[1].address: address 0.0.0.0:10000 overlaps 127.0.0.1:10000 of listeners[0]" },
        { TomlWith(tail: "[[clusters]]\nname = \"local_app\"\nhosts = [\"127.0.0.1:9\"]"), "clusters[1].name: duplicate cluster name \"local_app\"" },

        // Wrong types.
        { TomlWith(head: "[runtime]\nworkers = \"four\""), "runtime.workers: expected an integer, got string" },
        { TomlWith(head: "[runtime]\nlog_level = true"), "runtime.log_level: expected a string, got boolean" },
        { TomlWith(head: "runtime = 5"), "runtime: expected a table, got integer" },
        { TomlWith(listener: "max_connections = 1.5"), "listeners[0].max_connections: expected an integer, got float" },
        { TomlWith(hosts: "\"127.0.0.1:8080\""), "clusters[0].hosts: expected an array, got string" },
        { TomlWith(cluster: "5"), "listeners[0].tcp_proxy.cluster: expected a string, got integer" },
        { TomlWith(head: "[runtime]\nworkers = 1979-05-27"), "runtime.workers: expected an integer, got date-time" },

        // Ranges and keywords.
        { TomlWith(head: "[runtime]\nworkers = 2000"), "runtime.workers: 2000 is out of range (0..1024)" },
        { TomlWith(head: "[runtime]\nworkers = -1"), "runtime.workers: -1 is out of range (0..1024)" },
        { TomlWith(listener: "max_connections = 0"), "listeners[0].max_connections: 0 is out of range (must be at least 1)" },
        { TomlWith(tcpProxy: "max_connect_attempts = 101"), "listeners[0].tcp_proxy.max_connect_attempts: 101 is out of range (1..100)" },
        { TomlWith(head: "[runtime]\nlog_level = \"verbose\""), "runtime.log_level: unknown log level \"verbose\" (expected one of \"trace\", \"debug\", \"info\", \"warn\", \"error\")" },
        { TomlWith(listener: "protocol = \"udp\""), "listeners[0].protocol: unknown protocol \"udp\" (expected one of \"tcp\", \"http\", \"bolt\", \"auto\")" },
        { TomlWith(clusterExtra: "type = \"dns\""), "clusters[0].type: unknown cluster type \"dns\" (expected one of \"static\", \"strict_dns\", \"eds\")" },
        { TomlWith(clusterExtra: "lb_policy = \"fastest\""), "clusters[0].lb_policy: unknown load balancer policy \"fastest\" (expected one of \"round_robin\", \"least_request\", \"random\", \"ring_hash\", \"maglev\")" },
        { TomlWith(listener: "protocol = \"TCP\""), "listeners[0].protocol: unknown protocol \"TCP\" (expected one of \"tcp\", \"http\", \"bolt\", \"auto\")" },

        // Names.
        { TomlWith(cluster: "\"local app\""), "listeners[0].tcp_proxy.cluster: \"local app\" is not a valid name (use letters, digits, '_', '.' and '-')" },
        { TomlWith(tail: "[[clusters]]\nname = \"\"\nhosts = [\"127.0.0.1:9\"]"), "clusters[1].name: \"\" is not a valid name (use letters, digits, '_', '.' and '-')" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void One_mistake_gives_one_error(string toml, string expected)
    {
        var errors = LoadAssert.Fails(ConfigLoader.LoadToml(toml, "case.toml"));

        Assert.Equal([expected], errors);
    }

    public static TheoryData<string, string> MissingKeyCases => new()
    {
        { "[[listeners]]\naddress = \"127.0.0.1:1\"\ntcp_proxy.cluster = \"c\"\n" + OneCluster, "listeners[0].name: missing required key" },
        { "[[listeners]]\nname = \"l\"\ntcp_proxy.cluster = \"c\"\n" + OneCluster, "listeners[0].address: missing required key" },
        { "[[listeners]]\nname = \"l\"\naddress = \"127.0.0.1:1\"\n" + OneCluster, "listeners[0].tcp_proxy: missing required table (a \"tcp\" listener needs one)" },
        { "[[listeners]]\nname = \"l\"\naddress = \"127.0.0.1:1\"\ntcp_proxy = {}\n" + OneCluster, "listeners[0].tcp_proxy.cluster: missing required key" },
        { OneListener + "[[clusters]]\nhosts = [\"127.0.0.1:2\"]\n", "clusters[0].name: missing required key" },
        { OneListener + "[[clusters]]\nname = \"c\"\n", "clusters[0].hosts: missing required key" },
        { OneListener, "listeners[0].tcp_proxy.cluster: unknown cluster \"c\" (no clusters are defined)" },
        { "", "listeners: at least one listener is required" },
        { "listeners = []\n" + OneCluster, "listeners: at least one listener is required" },
        { "[listeners]\nname = \"l\"\n", "listeners: expected an array, got table" },
        { "listeners = [\"l\"]\n" + OneCluster, "listeners[0]: expected a table, got string" },
    };

    private const string OneListener = "[[listeners]]\nname = \"l\"\naddress = \"127.0.0.1:1\"\ntcp_proxy.cluster = \"c\"\n";

    private const string OneCluster = "[[clusters]]\nname = \"c\"\nhosts = [\"127.0.0.1:2\"]\n";

    [Theory]
    [MemberData(nameof(MissingKeyCases))]
    public void Missing_required_parts_are_reported(string toml, string expected)
    {
        var errors = LoadAssert.Fails(ConfigLoader.LoadToml(toml, "case.toml"));

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void Errors_in_toml_point_at_the_offending_line()
    {
        var error = LoadAssert.SingleError(ConfigLoader.LoadToml(TomlWith(address: "\"127.0.0.1:70000\""), "edge.toml"));

        Assert.Equal(5, error.Line);
        Assert.Equal(11, error.Column);
        Assert.Equal("edge.toml:5:11: listeners[0].address: port 70000 is out of range (0..65535)", error.ToString());
    }

    [Fact]
    public void Unknown_key_points_at_the_key()
    {
        var error = LoadAssert.SingleError(ConfigLoader.LoadToml(TomlWith(listener: "  adress = 1"), "edge.toml"));

        Assert.Equal((6, 3), (error.Line, error.Column));
    }

    [Fact]
    public void Missing_key_points_at_its_table()
    {
        var error = LoadAssert.SingleError(ConfigLoader.LoadToml(OneListener + "\n[[clusters]]\nname = \"c\"\n", "edge.toml"));

        Assert.Equal("clusters[0].hosts", error.Path);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void Non_bare_unknown_keys_are_quoted_in_the_path()
    {
        var errors = LoadAssert.Fails(ConfigLoader.LoadToml(TomlWith(listener: "\"max connections\" = 5"), "q.toml"));

        Assert.Equal(["listeners[0].\"max connections\": unknown key (did you mean \"max_connections\"?)"], errors);
    }
}
