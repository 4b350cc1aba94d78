using System.Net;
using System.Threading.Channels;
using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshEdge.Native.Tests.Xds.ControlPlane;

/// <summary>
/// A real ADS server (Grpc.AspNetCore, h2c on loopback or a Unix socket) speaking Envoy's compiled v3
/// protos, SotW and delta, driven by the test: it records every request the client sends and pushes
/// whatever response the test writes (valid or not), with nonces of its own. Stop it to play a control
/// plane that went away; start another on the same port to play its return.
/// </summary>
internal sealed class TestControlPlane : IAsyncDisposable
{
    private readonly Channel<IMessage> _requests = Channel.CreateUnbounded<IMessage>();
    private readonly SemaphoreSlim _write = new(1, 1);
    private WebApplication? _app;
    private IServerStreamWriter<DiscoveryResponse>? _sotw;
    private IServerStreamWriter<DeltaDiscoveryResponse>? _delta;
    private int _nonce;

    public int Port { get; private set; }

    /// <summary>Streams opened so far.</summary>
    public int Streams { get; private set; }

    public string LastNonce => "nonce-" + _nonce;

    public static async Task<TestControlPlane> StartAsync(int port = 0, string? unixSocket = null)
    {
        var plane = new TestControlPlane();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (unixSocket is not null)
            {
                kestrel.ListenUnixSocket(unixSocket, o => o.Protocols = HttpProtocols.Http2);
            }
            else
            {
                kestrel.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2);
            }
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(plane);
        var app = builder.Build();
        app.MapGrpcService<AdsTestService>();
        await app.StartAsync();
        plane._app = app;
        if (unixSocket is null)
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            plane.Port = new Uri(address).Port;
        }

        return plane;
    }

    internal async Task ServeAsync<TRequest, TResponse>(IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, CancellationToken cancel)
        where TRequest : IMessage
    {
        Streams++;
        if (responses is IServerStreamWriter<DiscoveryResponse> sotw)
        {
            _sotw = sotw;
        }
        else
        {
            _delta = (IServerStreamWriter<DeltaDiscoveryResponse>)responses;
        }

        try
        {
            await foreach (var request in requests.ReadAllAsync(cancel))
            {
                await _requests.Writer.WriteAsync(request, cancel);
            }
        }
        catch (OperationCanceledException)
        {
            // The plane stopped or the client went away.
        }
        catch (IOException)
        {
            // The client went away.
        }
    }

    /// <summary>The next request the client sent for <paramref name="typeUrl"/> (others of other types are skipped).</summary>
    public async Task<T> NextAsync<T>(string typeUrl, TimeSpan? timeout = null)
        where T : IMessage
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var request = await _requests.Reader.ReadAsync(cancel.Token);
            var type = request switch
            {
                DiscoveryRequest sotw => sotw.TypeUrl,
                DeltaDiscoveryRequest delta => delta.TypeUrl,
                _ => "",
            };
            if (type == typeUrl && request is T typed)
            {
                return typed;
            }
        }
    }

    /// <summary>A state-of-the-world response: the whole list of that type.</summary>
    public async Task<string> PushAsync(string typeUrl, string version, params IMessage[] resources)
    {
        var response = new DiscoveryResponse { TypeUrl = typeUrl, VersionInfo = version, Nonce = "nonce-" + Interlocked.Increment(ref _nonce) };
        response.Resources.Add(resources.Select(r => r is Any any ? any : Any.Pack(r)));
        await WriteAsync(() => _sotw!.WriteAsync(response));
        return response.Nonce;
    }

    /// <summary>A delta response: the resources that changed, and the names removed.</summary>
    public async Task<string> PushDeltaAsync(string typeUrl, string systemVersion, IEnumerable<(string Name, string Version, IMessage Resource)> resources, params string[] removed)
    {
        var response = new DeltaDiscoveryResponse { TypeUrl = typeUrl, SystemVersionInfo = systemVersion, Nonce = "nonce-" + Interlocked.Increment(ref _nonce) };
        response.Resources.Add(resources.Select(r => new Resource { Name = r.Name, Version = r.Version, Resource_ = r.Resource is Any any ? any : Any.Pack(r.Resource) }));
        response.RemovedResources.Add(removed);
        await WriteAsync(() => _delta!.WriteAsync(response));
        return response.Nonce;
    }

    private async Task WriteAsync(Func<Task> write)
    {
        await _write.WaitAsync();
        try
        {
            await write();
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Kills the server: open streams break.</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            using (var now = new CancellationTokenSource(TimeSpan.Zero))
            {
                await _app.StopAsync(now.Token);
            }

            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _write.Dispose();
    }
}
