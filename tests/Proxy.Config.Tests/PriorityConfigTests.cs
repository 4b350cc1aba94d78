using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;
using static MeshEdge.Config.Tests.TestSupport.SampleConfigs;

namespace MeshEdge.Config.Tests;

/// <summary><c>runtime.priority</c>: whether the sidecar yields CPU and memory to the application beside it.</summary>
public sealed class PriorityConfigTests
{
    [Fact]
    public void It_is_normal_unless_asked_for()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(TomlWith(head: "[runtime]"), "t.toml"));

        Assert.Equal(RuntimePriority.Normal, config.Runtime.Priority);
        Assert.Equal(RuntimePriority.Normal, RuntimeConfig.Default.Priority);
    }

    [Theory]
    [InlineData("low", RuntimePriority.Low)]
    [InlineData("normal", RuntimePriority.Normal)]
    public void Toml_takes_low_or_normal(string value, RuntimePriority expected)
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(TomlWith(head: $"[runtime]\npriority = \"{value}\""), "t.toml"));

        Assert.Equal(expected, config.Runtime.Priority);
    }

    [Fact]
    public void Json_binds_it_alike()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadJson(JsonWithRuntime("\"priority\": \"low\""), "t.json"));

        Assert.Equal(RuntimePriority.Low, config.Runtime.Priority);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "priority = \"idle\"", "runtime.priority: unknown priority \"idle\" (expected one of \"normal\", \"low\")" },
        { "priority = \"Low\"", "runtime.priority: unknown priority \"Low\" (expected one of \"normal\", \"low\")" },
        { "priority = 10", "runtime.priority: expected a string, got integer" },
        { "priorty = \"low\"", "runtime.priorty: unknown key (did you mean \"priority\"?)" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void A_bad_value_gives_one_precise_error(string line, string expected)
    {
        Assert.Equal([expected], LoadAssert.RuntimeLineFails(line));
    }

    [Fact]
    public void The_error_names_the_file_and_line()
    {
        var error = LoadAssert.SingleError(ConfigLoader.LoadToml(TomlWith(head: "[runtime]\npriority = \"lowest\""), "sidecar.toml"));

        Assert.Equal("sidecar.toml:2:12: runtime.priority: unknown priority \"lowest\" (expected one of \"normal\", \"low\")", error.ToString());
    }
}
