using System.Diagnostics;
using System.Net.Sockets;
using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Xds.Grpc;

namespace MeshEdge.Native.Xds;

/// <summary>
/// The xDS client: off the data path, a thread of its own that holds an ADS stream to the control
/// plane (<see cref="GrpcDuplexCall"/>: MeshEdge's own gRPC over h2c, a blocking socket), reconnects
/// with jittered backoff when it breaks, and meanwhile leaves the last good config running
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
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private Thread? _loop;
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
        _loop = new Thread(() => Run(_stop.Token)) { IsBackground = true, Name = "xds" };
        _loop.Start();
        _warming = Task.Run(() => WatchWarmingAsync(_stop.Token));
    }

    private static long Now() => Stopwatch.GetTimestamp() * 1000 / Stopwatch.Frequency;

    private void Run(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            var session = new AdsSession(_bootstrap, _cache, Status, _handler, _gate, Now);
            try
            {
                using var call = GrpcDuplexCall.Open(_bootstrap.ControlPlane, AdsSession.PathFor(_bootstrap), ConnectTimeout, cancel);
                session.Run(call, cancel);
                Log.Warn("xds: the control plane closed the stream", ("control_plane", _bootstrap.ControlPlane));
            }
            catch (Exception e) when (cancel.IsCancellationRequested && e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // Stopping: the socket was closed under the call.
                break;
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidOperationException or ObjectDisposedException)
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

            if (cancel.WaitHandle.WaitOne(_backoff.Next()))
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

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _warming?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled on the way out.
        }

        _loop?.Join(TimeSpan.FromSeconds(5));

        _stop.Dispose();
        _gate.Dispose();
    }
}
