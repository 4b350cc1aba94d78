using System.Diagnostics;
using System.Net.Sockets;
using Grpc.Net.Client;
using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Xds;

/// <summary>
/// The xDS client: off the data path, one async loop that holds an ADS stream to the control plane,
/// reconnects with jittered backoff when it breaks, and meanwhile leaves the last good config running
/// (nothing is withdrawn while the control plane is away). Every accepted change goes to the
/// <see cref="ILiveConfigTarget"/> as a whole config.
/// </summary>
internal sealed class XdsClient : IDisposable
{
    private readonly XdsBootstrap _bootstrap;
    private readonly XdsCache _cache = new();
    private readonly XdsUpdateHandler _handler;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly XdsBackoff _backoff;
    private Task? _loop;
    private Task? _warming;

    public XdsClient(XdsBootstrap bootstrap, ILiveConfigTarget target, XdsBackoff? backoff = null)
    {
        _bootstrap = bootstrap;
        Status = new XdsStatus(bootstrap.Delta ? "delta" : "sotw");
        var assembler = new XdsConfigAssembler(bootstrap.Document, bootstrap.Source + " (xds)", (long)bootstrap.InitialFetchTimeout.TotalMilliseconds);
        _handler = new XdsUpdateHandler(_cache, Status, assembler, target, Now);
        _backoff = backoff ?? new XdsBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), new Random());
    }

    public XdsStatus Status { get; }

    /// <summary>Starts the client for a config with an ADS source read from <paramref name="configPath"/>; null (logged) when it cannot.</summary>
    public static XdsClient? Start(ProxyConfig config, string? configPath, ILiveConfigTarget target)
    {
        string? problem = "no bootstrap file";
        if (configPath is null || XdsBootstrap.Load(configPath, config, out problem) is not { } bootstrap)
        {
            Log.Error("xds: not started", ("reason", problem));
            return null;
        }

        var client = new XdsClient(bootstrap, target);
        XdsStatus.Current = client.Status;
        client.Start();
        return client;
    }

    public void Start()
    {
        _loop = Task.Run(() => RunAsync(_stop.Token));
        _warming = Task.Run(() => WatchWarmingAsync(_stop.Token));
    }

    private static long Now() => Stopwatch.GetTimestamp() * 1000 / Stopwatch.Frequency;

    private async Task RunAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            var session = new AdsSession(_bootstrap, _cache, Status, _handler, _gate, Now);
            try
            {
                using var channel = Channel(_bootstrap.ControlPlane);
                await session.RunAsync(channel.CreateCallInvoker(), cancel).ConfigureAwait(false);
                Log.Warn("xds: the control plane closed the stream", ("control_plane", _bootstrap.ControlPlane));
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is Grpc.Core.RpcException or IOException or HttpRequestException or SocketException or InvalidOperationException)
            {
                Log.Warn("xds: stream failed; the last good config stays", ("control_plane", _bootstrap.ControlPlane), ("error", e.Message));
            }

            if (Status.Connected)
            {
                Status.Connected = false;
                Status.Disconnects++;
            }

            if (session.Responses > 0)
            {
                _backoff.Reset();
            }

            try
            {
                await Task.Delay(_backoff.Next(), cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>When a cluster's endpoints or a listener's routes have not come within the initial fetch
    /// timeout, the config is applied again with them empty (as Envoy ends warming).</summary>
    private async Task WatchWarmingAsync(CancellationToken cancel)
    {
        var timeout = (long)_bootstrap.InitialFetchTimeout.TotalMilliseconds;
        while (!cancel.IsCancellationRequested)
        {
            long? wait;
            await _gate.WaitAsync(cancel).ConfigureAwait(false);
            try
            {
                wait = _cache.NextGiveUp(Now(), timeout);
                if (wait == 0)
                {
                    _cache.ForgetGivenUp(Now(), timeout);
                    if (_handler.Apply("warming-timeout") is { } refusal)
                    {
                        Log.Warn("xds: config after the initial fetch timeout refused", ("error", refusal));
                    }
                }
            }
            finally
            {
                _gate.Release();
            }

            await Task.Delay(wait is > 0 ? TimeSpan.FromMilliseconds(Math.Min(wait.Value, 1000)) : TimeSpan.FromSeconds(1), cancel).ConfigureAwait(false);
        }
    }

    private static GrpcChannel Channel(XdsEndpoint endpoint)
    {
        var handler = new SocketsHttpHandler
        {
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        if (endpoint.UnixSocket is { } path)
        {
            handler.ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancel).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        var address = endpoint.UnixSocket is not null ? "http://localhost" : $"http://{(endpoint.Host!.Contains(':') ? $"[{endpoint.Host}]" : endpoint.Host)}:{endpoint.Port}";
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            Task.WaitAll([.. new[] { _loop, _warming }.OfType<Task>()], TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled on the way out.
        }

        _stop.Dispose();
        _gate.Dispose();
    }
}
