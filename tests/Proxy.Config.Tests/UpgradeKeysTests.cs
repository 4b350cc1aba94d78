using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;
using static MeshEdge.Config.Tests.TestSupport.SampleConfigs;

namespace MeshEdge.Config.Tests;

/// <summary><c>runtime.uds_dir</c> and <c>runtime.instance</c>: where the hot upgrade's hand-off socket lives.</summary>
public sealed class UpgradeKeysTests
{
    [Fact]
    public void Defaults_are_run_meshedge_and_a_name_derived_from_the_config_path()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(TomlWith(head: "[runtime]"), "t.toml"));

        Assert.Equal("/run/meshedge", config.Runtime.UdsDir);
        Assert.Null(config.Runtime.Instance);
    }

    [Fact]
    public void Both_keys_bind_in_toml_and_json_alike()
    {
        var toml = LoadAssert.Succeeds(ConfigLoader.LoadToml(
            TomlWith(head: "[runtime]\nuds_dir = \"/var/run/edge/\"\ninstance = \"edge-1\""), "t.toml"));
        var json = LoadAssert.Succeeds(ConfigLoader.LoadJson(JsonWithRuntime("\"uds_dir\": \"/var/run/edge/\", \"instance\": \"edge-1\""), "t.json"));

        // A trailing slash is dropped so that both spellings name the same socket.
        Assert.Equal("/var/run/edge", toml.Runtime.UdsDir);
        Assert.Equal("edge-1", toml.Runtime.Instance);
        Assert.Equal(toml.Runtime.UdsDir, json.Runtime.UdsDir);
        Assert.Equal(toml.Runtime.Instance, json.Runtime.Instance);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "uds_dir = \"run/meshedge\"", "runtime.uds_dir: \"run/meshedge\" is not an absolute path" },
        { "uds_dir = 5", "runtime.uds_dir: expected a string, got integer" },
        {
            "uds_dir = \"/" + new string('d', 70) + "\"",
            "runtime.uds_dir: \"/" + new string('d', 70) + "\" is too long (71 bytes, at most 60, so that the socket path fits in a Unix socket address)"
        },
        { "instance = \"edge 1\"", "runtime.instance: \"edge 1\" is not a valid instance name (use letters, digits, '_', '.' and '-'; at most 32 characters)" },
        { "instance = \"" + new string('i', 33) + "\"", "runtime.instance: \"" + new string('i', 33) + "\" is not a valid instance name (use letters, digits, '_', '.' and '-'; at most 32 characters)" },
        { "instance = \"\"", "runtime.instance: \"\" is not a valid instance name (use letters, digits, '_', '.' and '-'; at most 32 characters)" },
        { "uds-dir = \"/run\"", "runtime.uds-dir: unknown key (did you mean \"uds_dir\"?)" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void A_bad_value_gives_one_precise_error(string line, string expected)
    {
        Assert.Equal([expected], LoadAssert.RuntimeLineFails(line));
    }

    [Fact]
    public void The_error_points_at_the_value()
    {
        var error = LoadAssert.SingleError(ConfigLoader.LoadToml(TomlWith(head: "[runtime]\nuds_dir = \"relative\""), "edge.toml"));

        Assert.Equal("edge.toml:2:11: runtime.uds_dir: \"relative\" is not an absolute path", error.ToString());
    }

    [Fact]
    public void The_default_record_keeps_its_old_shape()
    {
        Assert.Equal(new RuntimeConfig(0, LogLevel.Info, TimeSpan.FromSeconds(30), "/run/meshedge", null), RuntimeConfig.Default);
    }
}
