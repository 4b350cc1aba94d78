using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Tests.Hosting;

public sealed class CommandLineParserTests
{
    [Theory]
    [InlineData(new string[0], "Run", null)]
    [InlineData(new[] { "-c", "a.toml" }, "Run", "a.toml")]
    [InlineData(new[] { "run", "--config", "a.json" }, "Run", "a.json")]
    [InlineData(new[] { "validate", "-c", "x.toml" }, "Validate", "x.toml")]
    [InlineData(new[] { "reload", "-c", "x.toml" }, "Reload", "x.toml")]
    [InlineData(new[] { "version" }, "Version", null)]
    [InlineData(new[] { "--help" }, "Help", null)]
    [InlineData(new[] { "run", "-h" }, "Help", null)]
    public void Commands_and_config_paths_are_recognised(string[] args, string command, string? config)
    {
        var options = CommandLineParser.Parse(args, out var error);
        Assert.Null(error);
        Assert.Equal(Enum.Parse<CliCommand>(command), options!.Command);
        Assert.Equal(config, options.ConfigPath);
    }

    [Fact]
    public void Overrides_are_parsed()
    {
        var options = CommandLineParser.Parse(["run", "--workers", "4", "--log-level", "debug"], out _);
        Assert.Equal(4, options!.Workers);
        Assert.Equal(LogLevel.Debug, options.LogLevel);
    }

    [Fact]
    public void Upgrade_is_a_flag_of_run()
    {
        Assert.True(CommandLineParser.Parse(["run", "-c", "a.toml", "--upgrade"], out _)!.Upgrade);
        Assert.False(CommandLineParser.Parse(["run", "-c", "a.toml"], out _)!.Upgrade);
    }

    [Fact]
    public void Reload_takes_the_admin_address()
    {
        var options = CommandLineParser.Parse(["reload", "-c", "a.toml", "--admin", "127.0.0.1:9901"], out _);
        Assert.Equal(System.Net.IPEndPoint.Parse("127.0.0.1:9901"), options!.Admin);
    }

    [Theory]
    [InlineData(new[] { "serve" }, "unknown command \"serve\"")]
    [InlineData(new[] { "--bogus" }, "unknown option \"--bogus\"")]
    [InlineData(new[] { "-c" }, "-c needs a value")]
    [InlineData(new[] { "--workers", "many" }, "--workers: \"many\" is not a number from 0 to 1024")]
    [InlineData(new[] { "--log-level", "loud" }, "--log-level: \"loud\" is not one of trace, debug, info, warn, error")]
    [InlineData(new[] { "validate" }, "validate needs -c FILE")]
    [InlineData(new[] { "validate", "-c", "a.toml", "--upgrade" }, "--upgrade only goes with run")]
    [InlineData(new[] { "reload" }, "reload needs -c FILE (the running process's config, which names its admin address)")]
    [InlineData(new[] { "reload", "-c", "a.toml", "--admin", "127.0.0.1:0" }, "--admin: \"127.0.0.1:0\" is not an address with a port (HOST:PORT)")]
    [InlineData(new[] { "run", "-c", "a.toml", "--admin", "127.0.0.1:9901" }, "--admin only goes with reload")]
    public void Usage_errors_say_what_is_wrong(string[] args, string expected)
    {
        Assert.Null(CommandLineParser.Parse(args, out var error));
        Assert.Equal(expected, error);
    }
}
