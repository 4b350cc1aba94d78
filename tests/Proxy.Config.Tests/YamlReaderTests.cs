using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

public sealed class YamlReaderTests
{
    [Fact]
    public void Block_and_flow_styles_anchors_and_quoting_bind_like_toml()
    {
        const string Yaml = """
            # MeshEdge's own schema, written in YAML
            runtime: { workers: 2, drain_timeout: 5s }
            listeners:
              - name: edge
                address: "127.0.0.1:10000"
                tcp_proxy: &proxy
                  cluster: backend
                  idle_timeout: 30s
            clusters:
            - name: backend
              hosts: ['127.0.0.1:8080', "127.0.0.1:8081"]
            """;

        var config = LoadAssert.Succeeds(ConfigLoader.LoadYaml(Yaml, "proxy.yaml"));

        Assert.Equal(2, config.Runtime.Workers);
        Assert.Equal(new TcpProxyConfig("backend", TimeSpan.FromSeconds(30), 3), config.Listeners[0].TcpProxy);
        Assert.Equal(2, config.Clusters[0].Hosts.Length);
    }

    [Fact]
    public void Syntax_errors_name_the_line()
    {
        var error = LoadAssert.SingleError(ConfigLoader.LoadYaml("listeners:\n  - name: a\n   address: x\n", "bad.yaml"));

        Assert.Equal(("", 3), (error.Path, error.Line));
        Assert.StartsWith("bad.yaml:3:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_keys_and_type_errors_carry_positions()
    {
        var errors = ConfigLoader.LoadYaml("listeners:\n- name: a\n  name: b\n  address: 1\n", "dup.yaml").Errors;

        Assert.Contains(errors, e => e.Path == "listeners[0].name" && e.Reason == "duplicate key" && e.Line == 3);
    }
}
