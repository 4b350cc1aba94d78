using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;
using static MeshEdge.Config.Tests.TestSupport.SampleConfigs;

namespace MeshEdge.Config.Tests;

/// <summary><c>runtime.idle_trim_after</c>: how long the process is quiet before it gives memory back (0: never).</summary>
public sealed class IdleTrimConfigTests
{
    [Fact]
    public void It_is_on_by_default_after_thirty_seconds()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(TomlWith(head: "[runtime]"), "t.toml"));

        Assert.Equal(TimeSpan.FromSeconds(30), config.Runtime.IdleTrimAfter);
        Assert.Equal(RuntimeConfig.DefaultIdleTrimAfter, RuntimeConfig.Default.IdleTrimAfter);
    }

    [Theory]
    [InlineData("\"5s\"", 5_000)]
    [InlineData("\"2m\"", 120_000)]
    [InlineData("\"0s\"", 0)]
    public void It_takes_a_duration_and_zero_turns_it_off(string value, int milliseconds)
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(TomlWith(head: "[runtime]\nidle_trim_after = " + value), "t.toml"));

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), config.Runtime.IdleTrimAfter);
    }

    [Fact]
    public void Json_binds_it_alike()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadJson(JsonWithRuntime("\"idle_trim_after\": \"5s\""), "t.json"));

        Assert.Equal(TimeSpan.FromSeconds(5), config.Runtime.IdleTrimAfter);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "idle_trim_after = 30", "runtime.idle_trim_after: 30 has no unit; expected a duration like \"5s\" (units: us, ms, s, m, h)" },
        { "idle_trim_after = \"-1s\"", "runtime.idle_trim_after: \"-1s\" is negative; expected a duration like \"5s\" (units: us, ms, s, m, h)" },
        { "idle-trim-after = \"30s\"", "runtime.idle-trim-after: unknown key (did you mean \"idle_trim_after\"?)" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void A_bad_value_gives_one_precise_error(string line, string expected)
    {
        Assert.Equal([expected], LoadAssert.RuntimeLineFails(line));
    }
}
