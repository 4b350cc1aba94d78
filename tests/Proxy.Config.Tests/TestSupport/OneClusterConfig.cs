namespace MeshEdge.Config.Tests.TestSupport;

/// <summary>
/// The smallest document around one cluster "app" (a tcp_proxy listener "l" sending to it), in TOML
/// and JSON, with a hole for the cluster's own keys: tests of cluster-level keys (type, hosts,
/// protocol, tls) state only the keys they are about, and <see cref="FailsAlike"/> checks that a
/// mistake gives the same one error, with its key path, in both formats.
/// </summary>
internal static class OneClusterConfig
{
    /// <summary>The host most cases give the cluster, as a TOML line.</summary>
    public const string Hosts = "hosts = [\"127.0.0.1:8443\"]";

    /// <summary>The host most cases give the cluster, as a JSON member.</summary>
    public const string JsonHosts = "\"hosts\": [\"127.0.0.1:8443\"]";

    /// <summary>The TOML document with <paramref name="clusterLines"/> in the cluster's table, after its name.</summary>
    public static string Toml(string clusterLines) => $$"""
        [[listeners]]
        name = "l"
        address = "127.0.0.1:1"
        tcp_proxy = { cluster = "app" }

        [[clusters]]
        name = "app"
        {{clusterLines}}

        """;

    /// <summary>The JSON document with <paramref name="clusterMembers"/> in the cluster's object, after its name.</summary>
    public static string Json(string clusterMembers) => $$"""
        { "listeners": [{ "name": "l", "address": "127.0.0.1:1", "tcp_proxy": { "cluster": "app" } }],
          "clusters": [{ "name": "app", {{clusterMembers}} }] }
        """;

    /// <summary>Loads the TOML document with <paramref name="clusterLines"/> in the cluster's table.</summary>
    public static ConfigLoadResult LoadToml(string clusterLines, string fileName = "cluster.toml") =>
        ConfigLoader.LoadToml(Toml(clusterLines), fileName);

    /// <summary>Both documents fail with <paramref name="expected"/> ("key path: reason") as their one error.</summary>
    public static void FailsAlike(string clusterToml, string clusterJson, string expected)
    {
        Assert.Equal([expected], LoadAssert.Fails(ConfigLoader.LoadToml(Toml(clusterToml), "cluster.toml")));
        Assert.Equal([expected], LoadAssert.Fails(ConfigLoader.LoadJson(Json(clusterJson), "cluster.json")));
    }
}
