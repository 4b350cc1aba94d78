using BenchmarkDotNet.Attributes;
using MeshEdge.Config;

namespace MeshEdge.Benchmarks;

/// <summary>Loading a config is off the data path, but reloads must stay cheap as configs grow.</summary>
[MemoryDiagnoser]
public class ConfigLoadBenchmarks
{
    private string _toml = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            text.Append($"[[listeners]]\nname = \"l{i}\"\naddress = \"127.0.0.1:{10000 + i}\"\n[listeners.tcp_proxy]\ncluster = \"c{i}\"\n");
            text.Append($"[[clusters]]\nname = \"c{i}\"\nhosts = [\"127.0.0.1:{20000 + i}\", \"127.0.0.2:{20000 + i}\"]\n");
        }

        _toml = text.ToString();
    }

    [Benchmark]
    public bool LoadToml() => ConfigLoader.LoadToml(_toml, "bench.toml").Succeeded;
}
