namespace MeshEdge.Config.Tests.TestSupport;

internal static class LoadAssert
{
    public static Model.ProxyConfig Succeeds(ConfigLoadResult result)
    {
        Assert.True(result.Succeeded, "expected success, got:\n" + string.Join("\n", result.Errors));
        Assert.Empty(result.Errors);
        return result.Config;
    }

    /// <summary>The errors as "path: reason", the part that must not depend on the format.</summary>
    public static string[] Fails(ConfigLoadResult result)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Config);
        Assert.NotEmpty(result.Errors);
        return [.. result.Errors.Select(e => e.Path.Length == 0 ? e.Reason : $"{e.Path}: {e.Reason}")];
    }

    /// <summary>The errors ("path: reason") of the sample TOML document with <paramref name="line"/> in its [runtime] table.</summary>
    public static string[] RuntimeLineFails(string line) =>
        Fails(ConfigLoader.LoadToml(SampleConfigs.TomlWith(head: "[runtime]\n" + line), "case.toml"));

    /// <summary>The runtime settings of the sample TOML document with <paramref name="lines"/> in its [runtime] table.</summary>
    public static Model.RuntimeConfig RuntimeLinesLoad(string lines) =>
        Succeeds(ConfigLoader.LoadToml(SampleConfigs.TomlWith(head: "[runtime]\n" + lines), "t.toml")).Runtime;

    /// <summary>The runtime settings of the sample JSON document with <paramref name="members"/> in its "runtime" object.</summary>
    public static Model.RuntimeConfig RuntimeMembersLoad(string members) =>
        Succeeds(ConfigLoader.LoadJson(SampleConfigs.JsonWithRuntime(members), "t.json")).Runtime;

    /// <summary>The one error, as printed with file, line and column, of sidecar.toml holding the sample with <paramref name="line"/> in [runtime].</summary>
    public static string RuntimeLineErrorText(string line) =>
        SingleError(ConfigLoader.LoadToml(SampleConfigs.TomlWith(head: "[runtime]\n" + line), "sidecar.toml")).ToString();

    /// <summary>Asserts exactly one error and returns it.</summary>
    public static ConfigError SingleError(ConfigLoadResult result)
    {
        Fails(result);
        return Assert.Single(result.Errors);
    }
}
