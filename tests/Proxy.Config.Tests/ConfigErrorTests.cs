namespace MeshEdge.Config.Tests;

public sealed class ConfigErrorTests
{
    [Fact]
    public void Without_position_reads_source_path_reason()
    {
        var error = new ConfigError("edge.json", "listeners[0].address", "port 70000 is out of range (0..65535)");

        Assert.Equal("edge.json: listeners[0].address: port 70000 is out of range (0..65535)", error.ToString());
    }

    [Fact]
    public void With_position_reads_like_a_compiler_message()
    {
        var error = new ConfigError("edge.toml", "runtime.workers", "expected an integer, got string") { Line = 3, Column = 11 };

        Assert.Equal("edge.toml:3:11: runtime.workers: expected an integer, got string", error.ToString());
    }

    [Fact]
    public void File_level_errors_have_no_path_part()
    {
        Assert.Equal("a.toml:2:5: Unexpected token", new ConfigError("a.toml", "", "Unexpected token") { Line = 2, Column = 5 }.ToString());
        Assert.Equal("a.yaml: unsupported", new ConfigError("a.yaml", "", "unsupported").ToString());
    }

    [Fact]
    public void Failed_result_has_no_config()
    {
        var result = ConfigLoader.LoadToml("", "empty.toml");

        Assert.False(result.Succeeded);
        Assert.Null(result.Config);
        Assert.Equal("empty.toml: listeners: at least one listener is required", Assert.Single(result.Errors).ToString());
    }
}
