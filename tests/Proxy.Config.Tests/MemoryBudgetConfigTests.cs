using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary><c>runtime.memory_budget</c>: the pooled buffer memory the process means to stay under.</summary>
public sealed class MemoryBudgetConfigTests
{
    [Fact]
    public void Absent_it_is_left_to_the_cgroup_limit()
    {
        var runtime = LoadAssert.RuntimeLinesLoad("");

        Assert.Null(runtime.MemoryBudget);
        Assert.Null(RuntimeConfig.Default.MemoryBudget);
    }

    [Theory]
    [InlineData("\"64MiB\"", 64L << 20)]
    [InlineData("\"4096 MiB\"", 4096L << 20)]
    [InlineData("262144", 262_144)]
    [InlineData("\"3000MB\"", 3_000_000_000)]
    public void Toml_takes_a_size(string value, long expected)
    {
        Assert.Equal(expected, LoadAssert.RuntimeLinesLoad("memory_budget = " + value).MemoryBudget);
    }

    [Fact]
    public void Json_binds_it_alike()
    {
        Assert.Equal(32L << 20, LoadAssert.RuntimeMembersLoad("\"memory_budget\": \"32MiB\"").MemoryBudget);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "memory_budget = \"100KiB\"", "runtime.memory_budget: \"100KiB\" is out of range (262144..9223372036854775807 bytes)" },
        { "memory_budget = \"1 GB\"", "runtime.memory_budget: \"1 GB\" is not a size; expected bytes or a size like \"1MiB\" (units: B, KB, KiB, MB, MiB)" },
        { "memory_budget = \"-1MiB\"", "runtime.memory_budget: \"-1MiB\" is negative; expected bytes or a size like \"1MiB\" (units: B, KB, KiB, MB, MiB)" },
        { "memory_budget = true", "runtime.memory_budget: expected bytes or a size like \"1MiB\" (units: B, KB, KiB, MB, MiB), got boolean" },
        { "memory-budget = \"64MiB\"", "runtime.memory-budget: unknown key (did you mean \"memory_budget\"?)" },
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
        Assert.Equal("sidecar.toml:2:17: runtime.memory_budget: \"64 mib\" is not a size; expected bytes or a size like \"1MiB\" (units: B, KB, KiB, MB, MiB)", LoadAssert.RuntimeLineErrorText("memory_budget = \"64 mib\""));
    }
}
