using System.Net;
using System.Net.Sockets;
using System.Text;
using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// Active health checking for one cluster: every interval (with 10% jitter, so many proxies do not
/// probe in step) each host gets a probe with a timeout: a TCP connect, or an HTTP/1.1 GET whose
/// status must be expected; consecutive failures and passes past the thresholds flip its flag in
/// <see cref="HostHealth"/>. Runs off the data path, on its own task; async sockets are fine here.
/// </summary>
internal sealed class ActiveHealthChecker(ClusterRuntime cluster, HealthCheckConfig config)
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
            return config.Type == HealthCheckType.Tcp || await HttpProbeAsync(socket, host, timeout.Token);
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

    /// <summary>GET the configured path on the connected socket and check the status line.</summary>
    private async Task<bool> HttpProbeAsync(Socket socket, IPEndPoint host, CancellationToken timeout)
    {
        var request = $"GET {config.Path} HTTP/1.1\r\nhost: {config.Host ?? host.ToString()}\r\nuser-agent: meshedge-health-check\r\nconnection: close\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, timeout);
        var buffer = new byte[1024];
        var received = 0;
        while (received < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, timeout);
            if (n == 0)
            {
                break;
            }

            received += n;
            if (buffer.AsSpan(0, received).IndexOf("\r\n"u8) >= 0)
            {
                break;
            }
        }

        // "HTTP/1.1 200 OK": the three digits after the first space.
        var line = buffer.AsSpan(0, received);
        var space = line.IndexOf((byte)' ');
        if (!line.StartsWith("HTTP/1."u8) || space < 0 || line.Length < space + 4
            || !int.TryParse(Encoding.ASCII.GetString(line.Slice(space + 1, 3)), out var status))
        {
            return false;
        }

        return config.ExpectedStatuses.IsEmpty ? status is >= 200 and < 300 : config.ExpectedStatuses.Contains(status);
    }
}
