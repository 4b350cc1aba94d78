using MeshEdge.Config;
using MeshEdge.Native.Xds;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>
/// An ADS bootstrap with no control plane behind it, for the tests that feed the update handler
/// responses by hand: written to <c>envoy.json</c> in a directory, loaded, and made into the assembler
/// the handler applies through.
/// </summary>
internal static class XdsOfflineBootstrap
{
    public static XdsConfigAssembler Assembler(string directory)
    {
        var path = Path.Combine(directory, "envoy.json");
        File.WriteAllText(path, """
            {
              "node": { "id": "sidecar~10.0.0.7~web-1.shop~shop.svc.cluster.local", "cluster": "web.shop" },
              "dynamic_resources": {
                "ads_config": { "api_type": "GRPC", "grpc_services": [ { "envoy_grpc": { "cluster_name": "xds-grpc" } } ] },
                "cds_config": { "ads": {} }, "lds_config": { "ads": {} }
              },
              "static_resources": { "clusters": [ { "name": "xds-grpc", "type": "STATIC", "connect_timeout": "1s",
                "load_assignment": { "cluster_name": "xds-grpc", "endpoints": [ { "lb_endpoints": [ { "endpoint": {
                  "address": { "socket_address": { "address": "127.0.0.1", "port_value": 15010 } } } } ] } ] } } ] }
            }
            """);
        var loaded = ConfigLoader.LoadFile(path);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        var bootstrap = XdsBootstrap.Load(path, loaded.Config!, out var problem);
        Assert.True(bootstrap is not null, problem);
        return new XdsConfigAssembler(bootstrap!.Document, path, 15_000);
    }
}
