using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

public sealed class LoadFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("meshedge-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Toml_file_is_loaded_with_its_path_as_source()
    {
        var path = Write("proxy.toml", SampleConfigs.Toml);

        var config = LoadAssert.Succeeds(ConfigLoader.LoadFile(path));

        ModelAssert.Equal(SampleConfigs.Expected(path), config);
    }

    [Fact]
    public void Json_file_is_loaded_with_its_path_as_source()
    {
        var path = Write("proxy.json", SampleConfigs.Json);

        var config = LoadAssert.Succeeds(ConfigLoader.LoadFile(path));

        ModelAssert.Equal(SampleConfigs.Expected(path), config);
    }

    [Fact]
    public void Extension_is_matched_without_regard_to_case()
    {
        LoadAssert.Succeeds(ConfigLoader.LoadFile(Write("PROXY.TOML", SampleConfigs.Toml)));
    }

    [Fact]
    public void Utf8_byte_order_mark_is_accepted()
    {
        var path = Path.Combine(_directory, "bom.toml");
        File.WriteAllText(path, SampleConfigs.Toml, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        LoadAssert.Succeeds(ConfigLoader.LoadFile(path));
    }

    [Theory]
    [InlineData("proxy.ini", "unsupported file extension \".ini\" (expected .toml, .json or .yaml)")]
    [InlineData("proxy", "the file name has no extension (expected .toml, .json or .yaml)")]
    public void Unknown_extension_is_an_error_naming_the_file(string name, string reason)
    {
        var path = Write(name, SampleConfigs.Toml);

        var error = LoadAssert.SingleError(ConfigLoader.LoadFile(path));

        Assert.Equal(path, error.Source);
        Assert.Equal(reason, error.Reason);
        Assert.Equal($"{path}: {reason}", error.ToString());
    }

    [Fact]
    public void Missing_file_is_an_error_naming_the_file()
    {
        var path = Path.Combine(_directory, "absent.toml");

        var error = LoadAssert.SingleError(ConfigLoader.LoadFile(path));

        Assert.Equal($"{path}: file not found", error.ToString());
    }

    [Fact]
    public void Missing_directory_is_an_error_naming_the_file()
    {
        var path = Path.Combine(_directory, "no-such-dir", "proxy.json");

        var error = LoadAssert.SingleError(ConfigLoader.LoadFile(path));

        Assert.Equal($"{path}: file not found", error.ToString());
    }

    [Fact]
    public void Unreadable_path_is_an_error_naming_the_file()
    {
        // A directory with a config name: opening it for reading fails.
        var path = Path.Combine(_directory, "dir.toml");
        Directory.CreateDirectory(path);

        var error = LoadAssert.SingleError(ConfigLoader.LoadFile(path));

        Assert.Equal(path, error.Source);
        Assert.StartsWith("cannot read the file: ", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_path_is_reported_as_given()
    {
        var result = ConfigLoader.LoadFile("conf/missing.toml");

        Assert.Equal("conf/missing.toml: file not found", LoadAssert.SingleError(result).ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
