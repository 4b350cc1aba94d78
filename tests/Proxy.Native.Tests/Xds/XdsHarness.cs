using MeshEdge.Config;
using MeshEdge.Native.Tests.Xds.ControlPlane;
using MeshEdge.Native.Xds;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>An xDS client started from a real Envoy bootstrap file that points at a test control plane.</summary>
internal sealed class XdsHarness : IAsyncDisposable
{
    private readonly string _directory;

    private XdsHarness(string directory, TestControlPlane plane, XdsClient client, RecordingTarget target)
    {
        _directory = directory;
        Plane = plane;
        Client = client;
        Target = target;
    }

    public TestControlPlane Plane { get; set; }

    public XdsClient Client { get; }

    public RecordingTarget Target { get; }

    public static async Task<XdsHarness> StartAsync(bool delta, string initialFetchTimeout = "15s")
    {
        var plane = await TestControlPlane.StartAsync();
        var directory = Directory.CreateTempSubdirectory("meshedge-xds-").FullName;
        var path = Path.Combine(directory, "envoy.json");
        await File.WriteAllTextAsync(path, $$"""
            {
              "node": { "id": "sidecar~10.0.0.7~web-1.shop~shop.svc.cluster.local", "cluster": "web.shop",
                        "metadata": { "ISTIO_VERSION": "1.24.0", "NAMESPACE": "shop", "LABELS": { "app": "web" } } },
              "dynamic_resources": {
                "ads_config": { "api_type": "{{(delta ? "DELTA_GRPC" : "GRPC")}}", "transport_api_version": "V3",
                                "grpc_services": [ { "envoy_grpc": { "cluster_name": "xds-grpc" } } ] },
                "cds_config": { "ads": {}, "initial_fetch_timeout": "{{initialFetchTimeout}}", "resource_api_version": "V3" },
                "lds_config": { "ads": {}, "resource_api_version": "V3" }
              },
              "static_resources": {
                "clusters": [ { "name": "xds-grpc", "type": "STATIC", "connect_timeout": "1s",
                  "load_assignment": { "cluster_name": "xds-grpc", "endpoints": [ { "lb_endpoints": [ { "endpoint": {
                    "address": { "socket_address": { "address": "127.0.0.1", "port_value": {{plane.Port}} } } } } ] } ] } } ]
              }
            }
            """);
        var loaded = ConfigLoader.LoadFile(path);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        var bootstrap = XdsBootstrap.Load(path, loaded.Config!, out var problem);
        Assert.True(bootstrap is not null, problem);
        var target = new RecordingTarget();
        var client = new XdsClient(bootstrap!, target, new XdsBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), new Random(1)));
        client.Start();
        return new XdsHarness(directory, plane, client, target);
    }

    /// <summary>Waits until <paramref name="condition"/> holds (the client works on its own loop).</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Plane.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
