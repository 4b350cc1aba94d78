using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary><c>runtime.priority</c>: whether the sidecar yields CPU and memory to the application beside it.</summary>
public sealed class PriorityConfigTests
{
    [Fact]
    public void It_is_normal_unless_asked_for()
    {
        var runtime = LoadAssert.RuntimeLinesLoad("");

        Assert.Equal(RuntimePriority.Normal, runtime.Priority);
        Assert.Equal(RuntimePriority.Normal, RuntimeConfig.Default.Priority);
    }

    [Theory]
    [InlineData("low", RuntimePriority.Low)]
    [InlineData("normal", RuntimePriority.Normal)]
    public void Toml_takes_low_or_normal(string value, RuntimePriority expected)
    {
        Assert.Equal(expected, LoadAssert.RuntimeLinesLoad($"priority = \"{value}\"").Priority);
    }

    [Fact]
    public void Json_binds_it_alike()
    {
        Assert.Equal(RuntimePriority.Low, LoadAssert.RuntimeMembersLoad("\"priority\": \"low\"").Priority);
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
        Assert.Equal("sidecar.toml:2:12: runtime.priority: unknown priority \"lowest\" (expected one of \"normal\", \"low\")", LoadAssert.RuntimeLineErrorText("priority = \"lowest\""));
    }
}
