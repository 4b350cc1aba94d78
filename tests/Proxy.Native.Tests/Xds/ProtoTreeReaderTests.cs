using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MeshEdge.Config.Tree;
using MeshEdge.Native.Xds.Wire;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>The hand-written wire reader against messages encoded by Google.Protobuf's generated code.</summary>
public sealed class ProtoTreeReaderTests
{
    private static ConfigTable Read(IMessage message) =>
        ProtoTreeReader.Read(ProtoSchema.Envoy, message.Descriptor.FullName, message.ToByteArray());

    private static string Text(ConfigTable table, string path)
    {
        ConfigNode node = table;
        foreach (var part in path.Split('.'))
        {
            node = node switch
            {
                ConfigTable t when t.TryGet(part, out var v) => v,
                ConfigArray a when int.TryParse(part, out var i) => a.Items[i],
                _ => throw new KeyNotFoundException(path),
            };
        }

        return Assert.IsType<ConfigScalar>(node).Text;
    }

    [Fact]
    public void Fields_come_out_as_envoy_json_names_and_forms()
    {
        var cluster = XdsResources.StaticCluster("web", 9001);
        cluster.ConnectTimeout = new Duration { Seconds = 1, Nanos = 500_000_000 };
        cluster.LbPolicy = Cluster.Types.LbPolicy.LeastRequest;
        cluster.PerConnectionBufferLimitBytes = 32768;
        cluster.Metadata = new Metadata();
        cluster.Metadata.FilterMetadata["istio"] = Struct.Parser.ParseJson("""{ "config": "x", "n": 2, "on": true, "list": ["a"] }""");

        var tree = Read(cluster);

        Assert.Equal("web", Text(tree, "name"));
        Assert.Equal("1.5s", Text(tree, "connect_timeout"));
        Assert.Equal("LEAST_REQUEST", Text(tree, "lb_policy"));
        Assert.Equal("32768", Text(tree, "per_connection_buffer_limit_bytes"));
        Assert.Equal("9001", Text(tree, "load_assignment.endpoints.0.lb_endpoints.0.endpoint.address.socket_address.port_value"));
        Assert.Equal("x", Text(tree, "metadata.filter_metadata.istio.config"));
        Assert.Equal("true", Text(tree, "metadata.filter_metadata.istio.on"));
        Assert.Equal("a", Text(tree, "metadata.filter_metadata.istio.list.0"));
        Assert.Equal("STATIC", Text(tree, "type"));
        Assert.False(tree.TryGet("dns_lookup_family", out _), "a default (0) without presence is not on the wire, so not in the tree");
    }

    [Fact]
    public void An_any_is_read_when_its_type_is_in_the_schema_and_kept_as_its_type_url_otherwise()
    {
        var tls = XdsResources.TlsCluster("secure", 9443);
        var known = Read(tls);
        Assert.Equal("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext", Text(known, "transport_socket.typed_config.@type"));
        Assert.Equal("example.com", Text(known, "transport_socket.typed_config.sni"));

        var listener = XdsResources.HttpListener("in", 8080, "r", XdsResources.Opaque("stats", "istio.stats.PluginConfig", optional: true));
        var opaque = Read(listener);
        var manager = "filter_chains.0.filters.0.typed_config";
        Assert.Equal("r", Text(opaque, manager + ".rds.route_config_name"));
        Assert.Equal("type.googleapis.com/istio.stats.PluginConfig", Text(opaque, manager + ".http_filters.0.typed_config.@type"));
        Assert.Equal("true", Text(opaque, manager + ".http_filters.0.is_optional"));
    }

    [Fact]
    public void Malformed_bytes_are_an_error_not_a_crash()
    {
        var bytes = XdsResources.StaticCluster("web", 9001).ToByteArray();
        Assert.Throws<InvalidDataException>(() => ProtoTreeReader.Read(ProtoSchema.Envoy, "envoy.config.cluster.v3.Cluster", bytes.AsMemory(0, bytes.Length - 3)));
    }
}
