using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using MeshEdge.Native.Tests.Xds.ControlPlane;

namespace MeshEdge.Functional.Tests.Xds;

/// <summary>
/// The test control plane driven the same way over either variant: a push names every resource of
/// its type (state of the world sends them all; delta sends those named as changed and the removed
/// names), and the client's answer reads as one shape (nonce, error).
/// </summary>
internal sealed class XdsPlaneDriver(bool delta) : IAsyncDisposable
{
    public const string Cds = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public const string Eds = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    public const string Lds = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public const string Rds = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    public const string Sds = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

    public TestControlPlane Server { get; private set; } = null!;

    public bool Delta => delta;

    public string ApiType => delta ? "DELTA_GRPC" : "GRPC";

    public static async Task<XdsPlaneDriver> StartAsync(bool delta, int port = 0) =>
        new XdsPlaneDriver(delta) { Server = await TestControlPlane.StartAsync(port) };

    /// <summary>A request of <paramref name="type"/> from the client: its nonce, version (SotW), error, subscribed names and, on a delta stream's first request, what it holds.</summary>
    public async Task<Answer> NextAsync(string type)
    {
        if (delta)
        {
            var request = await Server.NextAsync<DeltaDiscoveryRequest>(type, TimeSpan.FromSeconds(60));
            return new Answer(request.ResponseNonce, "", request.ErrorDetail?.Message, [.. request.ResourceNamesSubscribe], request.InitialResourceVersions.Keys.Order().ToList(), request.Node?.Id);
        }

        var sotw = await Server.NextAsync<DiscoveryRequest>(type, TimeSpan.FromSeconds(60));
        return new Answer(sotw.ResponseNonce, sotw.VersionInfo, sotw.ErrorDetail?.Message, [.. sotw.ResourceNames], [], sotw.Node?.Id);
    }

    /// <summary>Pushes <paramref name="all"/> as the state of <paramref name="type"/>; over delta only <paramref name="changed"/> (all when null) and <paramref name="removed"/> go.</summary>
    public Task<string> PushAsync(string type, string version, IMessage[] all, IMessage[]? changed = null, params string[] removed) => delta
        ? Server.PushDeltaAsync(type, version, (changed ?? all).Select(r => (NameOf(r), version, r)), removed)
        : Server.PushAsync(type, version, all);

    /// <summary>Pushes and waits for the client's ACK of it (fails on a NACK).</summary>
    public async Task PushAckedAsync(string type, string version, IMessage[] all, IMessage[]? changed = null, params string[] removed)
    {
        var nonce = await PushAsync(type, version, all, changed, removed);
        var answer = await NextAsync(type);
        Assert.True(answer.Error is null, $"{type} {version} was NACKed: {answer.Error}");
        Assert.Equal(nonce, answer.Nonce);
        if (!delta)
        {
            Assert.Equal(version, answer.Version);
        }
    }

    /// <summary>Stops the server and starts another on the same port: the control plane went away and came back.</summary>
    public async Task RestartAsync(Func<Task> whileAway)
    {
        var port = Server.Port;
        await Server.DisposeAsync();
        await whileAway();
        Server = await TestControlPlane.StartAsync(port);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static string NameOf(IMessage resource) => resource switch
    {
        Cluster cluster => cluster.Name,
        ClusterLoadAssignment assignment => assignment.ClusterName,
        Listener listener => listener.Name,
        RouteConfiguration routes => routes.Name,
        Envoy.Extensions.TransportSockets.Tls.V3.Secret secret => secret.Name,
        _ => throw new ArgumentException("not an xDS resource: " + resource.Descriptor.FullName),
    };

    internal sealed record Answer(string Nonce, string Version, string? Error, List<string> Subscribed, List<string> Held, string? NodeId);
}
