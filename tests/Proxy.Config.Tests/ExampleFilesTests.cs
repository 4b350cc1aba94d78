using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

public sealed class ExampleFilesTests
{
    private static readonly string ExamplesDirectory = Path.Combine(RepoRoot.Find(), "examples");

    public static TheoryData<string> ExampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(ExamplesDirectory).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Every_example_is_valid(string fileName)
    {
        LoadAssert.Succeeds(ConfigLoader.LoadFile(Path.Combine(ExamplesDirectory, fileName)));
    }

    [Fact]
    public void Examples_exist()
    {
        var names = Directory.EnumerateFiles(ExamplesDirectory).Select(Path.GetFileName).ToArray();

        Assert.Contains("sidecar-inbound.toml", names);
        Assert.Contains("edge-tcp.toml", names);
        Assert.Contains("edge-tcp.json", names);
    }

    [Fact]
    public void Edge_tcp_toml_and_json_are_the_same_configuration()
    {
        var toml = LoadAssert.Succeeds(ConfigLoader.LoadFile(Path.Combine(ExamplesDirectory, "edge-tcp.toml")));
        var json = LoadAssert.Succeeds(ConfigLoader.LoadFile(Path.Combine(ExamplesDirectory, "edge-tcp.json")));

        ModelAssert.EqualIgnoringSource(toml, json);
        Assert.Equal(2, toml.Listeners.Length);
        Assert.Equal(3, Assert.Single(toml.Clusters).Hosts.Length);
    }

    [Fact]
    public void Sidecar_inbound_is_the_documented_default()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadFile(Path.Combine(ExamplesDirectory, "sidecar-inbound.toml")));

        Assert.Equal(RuntimeConfig.Default, config.Runtime);
        var listener = Assert.Single(config.Listeners);
        Assert.Equal(("inbound", "127.0.0.1:10000", "local_app"), (listener.Name, listener.Address.ToString(), listener.TcpProxy.Cluster));
        var cluster = Assert.Single(config.Clusters);
        Assert.Equal("local_app", cluster.Name);
        Assert.Equal("127.0.0.1:8080", Assert.Single(cluster.Hosts).ToString());
    }
}
