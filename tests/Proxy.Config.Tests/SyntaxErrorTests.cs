using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

public sealed class SyntaxErrorTests
{
    [Fact]
    public void Toml_syntax_error_names_the_file_line_and_column()
    {
        const string Toml = "[runtime]\nworkers = 4\nlog_level = \n";

        var error = LoadAssert.SingleError(ConfigLoader.LoadToml(Toml, "bad.toml"));

        Assert.Equal("bad.toml", error.Source);
        Assert.Equal("", error.Path);
        Assert.Equal(3, error.Line);
        Assert.Equal(13, error.Column);
        Assert.StartsWith("bad.toml:3:13: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Toml_reports_every_syntax_error()
    {
        const string Toml = "a = 1 2\nb = @\n";

        var result = ConfigLoader.LoadToml(Toml, "bad.toml");

        LoadAssert.Fails(result);
        Assert.Equal([1, 2], result.Errors.Select(e => e.Line));
    }

    [Fact]
    public void Toml_duplicate_key_is_an_error_with_its_line()
    {
        var toml = SampleConfigs.TomlWith(listener: "name = \"again\"");

        var error = LoadAssert.SingleError(ConfigLoader.LoadToml(toml, "dup.toml"));

        Assert.Equal("dup.toml:6:1: listeners[0].name: is already defined at line 4", error.ToString());
    }

    public static TheoryData<string, string> TomlStructureCases => new()
    {
        { "[runtime]\nworkers = 1\n[runtime]\nlog_level = \"warn\"", "runtime: is already defined at line 1" },
        { "runtime.workers = 1\n[runtime]\nlog_level = \"warn\"", "runtime: is already defined at line 1" },
        { "runtime = { workers = 1 }\n[runtime]\nlog_level = \"warn\"", "runtime: cannot be extended: it is an inline table at line 1" },
        { "runtime = { workers = 1 }\nruntime.log_level = \"warn\"", "runtime: cannot be extended: it is an inline table at line 1" },
        { "listeners = [{ name = \"a\" }]\n[[listeners]]\nname = \"b\"", "listeners: cannot be extended: it is an array value at line 1" },
        { "listeners = [{ name = \"a\" }]\n[listeners.tcp_proxy]\ncluster = \"c\"", "listeners: cannot be extended: it is an array value at line 1" },
        { "[[listeners]]\nname = \"a\"\n[listeners]\nname = \"b\"", "listeners: is already an array of tables at line 1" },
        { "[runtime]\nworkers = 1\n[runtime.workers]\nx = 1", "runtime.workers: is already defined at line 2" },
        { "[runtime]\nworkers = 1\nworkers.x = 1", "runtime.workers: is already defined at line 2" },
        { "[[listeners]]\ntcp_proxy.cluster = \"c\"\n[listeners.tcp_proxy]\nidle_timeout = \"1s\"", "listeners[0].tcp_proxy: is already defined at line 2" },
        { "[[listeners]]\ntcp_proxy = { cluster = \"c\" }\n[listeners.tcp_proxy.x]\ny = 1", "listeners[0].tcp_proxy: cannot be extended: it is an inline table at line 2" },
    };

    [Theory]
    [MemberData(nameof(TomlStructureCases))]
    public void Toml_key_and_table_rules_are_enforced(string toml, string expected)
    {
        var errors = LoadAssert.Fails(ConfigLoader.LoadToml(toml, "s.toml"));

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void Toml_sub_tables_of_each_array_element_may_mix_headers_dotted_keys_and_inline_tables()
    {
        // Tomlyn 2.10.2's own validation rejects this valid TOML; the builder must not.
        const string Toml = """
            [[listeners]]
            name = "a"
            address = "127.0.0.1:1"
            [listeners.tcp_proxy]
            cluster = "c"

            [[listeners]]
            name = "b"
            address = "127.0.0.1:2"
            tcp_proxy.cluster = "c"

            [[listeners]]
            name = "d"
            address = "127.0.0.1:3"
            tcp_proxy = { cluster = "c" }

            [[listeners]]
            name = "e"
            address = "127.0.0.1:4"
            [listeners.tcp_proxy]
            cluster = "c"

            [[clusters]]
            name = "c"
            hosts = ["127.0.0.1:9"]
            """;

        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(Toml, "mix.toml"));

        Assert.Equal(["a", "b", "d", "e"], config.Listeners.Select(l => l.Name));
        Assert.All(config.Listeners, l => Assert.Equal("c", l.TcpProxy.Cluster));
    }

    [Fact]
    public void Toml_parent_table_may_be_defined_after_its_child()
    {
        const string Toml = """
            [a.b]
            x = 1
            [a]
            y = 2
            """;

        var errors = LoadAssert.Fails(ConfigLoader.LoadToml(Toml, "order.toml"));

        // Structurally valid TOML, so only the schema complains.
        Assert.Equal(["a: unknown key", "listeners: at least one listener is required"], errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Json_syntax_error_names_the_file_line_and_column()
    {
        const string Json = "{\n  \"runtime\": { \"workers\": }\n}";

        var error = LoadAssert.SingleError(ConfigLoader.LoadJson(Json, "bad.json"));

        Assert.Equal("", error.Path);
        Assert.Equal(2, error.Line);
        Assert.Equal(27, error.Column);
        Assert.DoesNotContain("LineNumber", error.Reason, StringComparison.Ordinal);
        Assert.StartsWith("bad.json:2:27: ", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1, 2]")]
    [InlineData("{\"runtime\": {\"workers\": 1}, \"Runtime\": {\"workers\": 2}}")]
    [InlineData("{\"a\": 1, \"a\": 2}")]
    public void Json_that_is_not_one_object_with_unique_keys_is_a_file_error(string json)
    {
        var error = LoadAssert.SingleError(ConfigLoader.LoadJson(json, "x.json"));

        Assert.Equal("", error.Path);
        Assert.StartsWith("x.json", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_key_given_both_as_object_and_value_is_a_duplicate()
    {
        var json = """{"runtime": {"workers": 1}, "runtime": 3}""";

        var errors = LoadAssert.Fails(ConfigLoader.LoadJson(json, "x.json"));

        Assert.Contains("runtime: duplicate key", errors);
    }
}
