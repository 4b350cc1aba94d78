using System.Net;
using System.Net.Sockets;
using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// Active TCP health checking for one cluster: every interval (with 10% jitter, so many proxies do
/// not probe in step) each host gets a connect with a timeout; consecutive failures and passes
/// past the thresholds flip its flag in <see cref="HostHealth"/>. Runs off the data path, on its
/// own task; async sockets are fine here.
/// </summary>
internal sealed class TcpHealthChecker(ClusterRuntime cluster, HealthCheckConfig config)
{
    private readonly int[] _failures = new int[cluster.Hosts.Length];
    private readonly int[] _passes = new int[cluster.Hosts.Length];

    public async Task RunAsync(CancellationToken stopping)
    {
        var random = new Random();
        while (!stopping.IsCancellationRequested)
        {
            await Task.WhenAll(cluster.Hosts.Select((host, index) => CheckAsync(index, host, stopping)));
            var jitter = config.Interval.TotalMilliseconds * 0.1 * random.NextDouble();
            try
            {
                await Task.Delay(config.Interval + TimeSpan.FromMilliseconds(jitter), stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task CheckAsync(int index, IPEndPoint host, CancellationToken stopping)
    {
        var passed = await ProbeAsync(host, stopping);
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        if (passed)
        {
            _failures[index] = 0;
            if (++_passes[index] >= config.HealthyThreshold && !cluster.Health.IsHealthy(index))
            {
                cluster.Health.Set(index, healthy: true);
                Log.Info("host healthy", ("cluster", cluster.Name), ("host", host));
            }

            return;
        }

        _passes[index] = 0;
        if (++_failures[index] >= config.UnhealthyThreshold && cluster.Health.IsHealthy(index))
        {
            cluster.Health.Set(index, healthy: false);
            Log.Warn("host unhealthy", ("cluster", cluster.Name), ("host", host), ("failed_checks", _failures[index]));
        }
    }

    private async Task<bool> ProbeAsync(IPEndPoint host, CancellationToken stopping)
    {
        using var socket = new Socket(host.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(config.Timeout);
        try
        {
            await socket.ConnectAsync(host, timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
