using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>
/// The echo service on Kestrel (Grpc.AspNetCore), in the test process: HTTP/2 only on 127.0.0.1 at an
/// ephemeral port, so h2c with prior knowledge, as an h2 upstream speaks to it. The gRPC tests use it
/// beside @grpc/grpc-js, and the h2 upstream tests can use it as a real Kestrel origin.
/// </summary>
internal sealed class KestrelEchoServer : IGrpcEchoServer
{
    private readonly WebApplication _app;
    private readonly KestrelEchoLog _log;

    private KestrelEchoServer(WebApplication app, KestrelEchoLog log, IPEndPoint endPoint)
    {
        _app = app;
        _log = log;
        EndPoint = endPoint;
    }

    public string Name => _log.Name;

    public IPEndPoint EndPoint { get; }

    public IReadOnlyList<GrpcServerCall> Calls => _log.Calls;

    public static async Task<KestrelEchoServer> StartAsync(string name = "kestrel")
    {
        var log = new KestrelEchoLog(name);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(log);
        var app = builder.Build();
        app.MapGrpcService<KestrelEchoService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new KestrelEchoServer(app, log, new IPEndPoint(IPAddress.Loopback, new Uri(address).Port));
    }

    public int CancelledCount(string method) => _log.Count("cancelled", method);

    public int FinishedCount(string method) => _log.Count("finished", method);

    public string Describe() => _log.Describe();

    public async ValueTask DisposeAsync()
    {
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(deadline.Token);
        }

        await _app.DisposeAsync();
    }
}
