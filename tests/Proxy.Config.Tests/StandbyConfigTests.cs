using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;
using static MeshEdge.Config.Tests.TestSupport.SampleConfigs;

namespace MeshEdge.Config.Tests;

/// <summary><c>runtime.mode</c>, <c>[runtime.overload]</c> and <c>[standby]</c>: the sidecar that yields.</summary>
public sealed class StandbyConfigTests
{
    private const string Peers = "[[clusters]]\nname = \"peers\"\nhosts = [\"127.0.0.1:9090\"]";

    [Fact]
    public void Absent_the_process_is_active_with_envoy_like_stages_and_no_standby_table()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(TomlWith(head: "[runtime]"), "t.toml"));

        Assert.Equal(RuntimeMode.Active, config.Runtime.Mode);
        Assert.Equal(new OverloadThresholds(0.8, 0.9, 0.95, 1.0), config.Runtime.Overload);
        Assert.Null(config.Standby);
    }

    [Fact]
    public void Toml_binds_mode_stages_and_standby()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(TomlWith(
            head: "[runtime]\nmode = \"standby\"\n[runtime.overload]\nstop_reading = 0.5\ndisable_keepalive = 0\nstop_accepting = 0.75\nreject_requests = 1\n"
                + "[standby]\nlocal_cluster = \"local_app\"\npeers_cluster = \"peers\"\nlocal_share = 0.05",
            tail: Peers), "t.toml"));

        Assert.Equal(RuntimeMode.Standby, config.Runtime.Mode);
        Assert.Equal(new OverloadThresholds(0.5, 0, 0.75, 1), config.Runtime.Overload);
        Assert.Equal(new StandbyConfig(["local_app"], ["peers"], 0.05), config.Standby);
    }

    [Fact]
    public void Json_binds_them_alike()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadJson("""
            {
              "runtime": { "mode": "standby", "overload": { "stop_reading": 0.5, "stop_accepting": "0.75" } },
              "standby": { "local_cluster": ["c", "d"], "peers_cluster": ["p", "q"] },
              "listeners": [ { "name": "l", "address": "127.0.0.1:1", "tcp_proxy": { "cluster": "c" } } ],
              "clusters": [ { "name": "c", "hosts": ["127.0.0.1:2"] }, { "name": "p", "hosts": ["127.0.0.1:3"] }, { "name": "d", "hosts": ["127.0.0.1:4"] }, { "name": "q", "hosts": ["127.0.0.1:5"] } ]
            }
            """, "t.json"));

        Assert.Equal(RuntimeMode.Standby, config.Runtime.Mode);
        Assert.Equal(new OverloadThresholds(0.5, 0.9, 0.75, 1.0), config.Runtime.Overload);
        Assert.Equal(new StandbyConfig(["c", "d"], ["p", "q"], StandbyConfig.DefaultLocalShare), config.Standby);
    }

    public static TheoryData<string, string> InvalidRuntime => new()
    {
        { "mode = \"asleep\"", "runtime.mode: unknown mode \"asleep\" (expected one of \"active\", \"standby\")" },
        { "overload = { stop_reading = 1.5 }", "runtime.overload.stop_reading: 1.5 is out of range (0 to 1)" },
        { "overload = { stop_accepting = \"soon\" }", "runtime.overload.stop_accepting: expected a number from 0 to 1, got string" },
        { "overload = { stop_readin = 0.5 }", "runtime.overload.stop_readin: unknown key (did you mean \"stop_reading\"?)" },
    };

    [Theory]
    [MemberData(nameof(InvalidRuntime))]
    public void A_bad_runtime_value_gives_one_precise_error(string line, string expected)
    {
        Assert.Equal([expected], LoadAssert.RuntimeLineFails(line));
    }

    public static TheoryData<string, string> InvalidStandby => new()
    {
        { "peers_cluster = \"peers\"", "standby.local_cluster: missing required key" },
        { "local_cluster = \"local_app\"\npeers_cluster = \"nowhere\"", "standby.peers_cluster: unknown cluster \"nowhere\"" },
        { "local_cluster = \"local_app\"\npeers_cluster = \"local_app\"", "standby.peers_cluster: \"local_app\" is a local cluster too; the peers' cluster must be another" },
        { "local_cluster = [\"local_app\"]\npeers_cluster = [\"peers\", \"local_app\"]", "standby.peers_cluster: names 2 cluster(s) for 1 local one(s); they pair by position" },
        { "local_cluster = \"local_app\"\npeers_cluster = \"peers\"\nlocal_share = 2", "standby.local_share: 2 is out of range (0 to 1)" },
    };

    [Theory]
    [MemberData(nameof(InvalidStandby))]
    public void A_bad_standby_table_gives_one_precise_error(string lines, string expected)
    {
        Assert.Equal([expected], LoadAssert.Fails(ConfigLoader.LoadToml(TomlWith(tail: Peers + "\n\n[standby]\n" + lines), "t.toml")));
    }
}
