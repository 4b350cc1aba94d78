using System.Diagnostics;
using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// Passive health for one cluster, fed by every worker's responses. The steady state is a plain
/// read per response (a success only writes when a failure streak was running); failures add with
/// an interlocked increment. An ejection is rare and takes a lock; ejections end on the detector's
/// own task, off the data path. The ejection time grows with each ejection of the same host.
/// </summary>
internal sealed class OutlierDetector(ClusterRuntime cluster, OutlierDetectionConfig config)
{
    private readonly int[] _consecutive5xx = new int[cluster.Hosts.Length];
    private readonly int[] _consecutiveGateway = new int[cluster.Hosts.Length];
    private readonly int[] _ejections = new int[cluster.Hosts.Length];
    private readonly long[] _ejectedUntil = new long[cluster.Hosts.Length];
    private readonly Lock _lock = new();
    private long _ejectionsTotal;

    /// <summary>Ejections since start, for stats.</summary>
    public long EjectionsTotal => Volatile.Read(ref _ejectionsTotal);

    public void ReportSuccess(int host)
    {
        if (Volatile.Read(ref _consecutive5xx[host]) != 0)
        {
            Volatile.Write(ref _consecutive5xx[host], 0);
        }

        if (Volatile.Read(ref _consecutiveGateway[host]) != 0)
        {
            Volatile.Write(ref _consecutiveGateway[host], 0);
        }
    }

    /// <summary>A response with <paramref name="status"/> from <paramref name="host"/>.</summary>
    public void ReportStatus(int host, int status)
    {
        if (status < 500)
        {
            ReportSuccess(host);
            return;
        }

        var gateway = status is 502 or 503 or 504;
        Count(host, fiveXx: true, gateway);
    }

    /// <summary>A connect failure, a reset or a timeout before any response: a gateway failure (and a 5xx, as Envoy counts it).</summary>
    public void ReportGatewayFailure(int host) => Count(host, fiveXx: true, gateway: true);

    private void Count(int host, bool fiveXx, bool gateway)
    {
        var over5xx = fiveXx && config.Consecutive5xx > 0 && Interlocked.Increment(ref _consecutive5xx[host]) >= config.Consecutive5xx;
        var overGateway = gateway && config.ConsecutiveGatewayFailure > 0
            && Interlocked.Increment(ref _consecutiveGateway[host]) >= config.ConsecutiveGatewayFailure;
        if (over5xx || overGateway)
        {
            TryEject(host, over5xx ? "consecutive_5xx" : "consecutive_gateway_failure");
        }
    }

    private void TryEject(int host, string reason)
    {
        lock (_lock)
        {
            var health = cluster.Health;
            var allowed = Math.Max(1, health.HostCount * config.MaxEjectionPercent / 100);
            if (health.IsEjected(host) || health.EjectedCount >= allowed)
            {
                return;
            }

            var count = ++_ejections[host];
            var duration = config.BaseEjectionTime * count;
            _ejectedUntil[host] = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            _consecutive5xx[host] = 0;
            _consecutiveGateway[host] = 0;
            _ejectionsTotal++;
            health.SetEjected(host, true);
            Log.Warn("host ejected", ("cluster", cluster.Name), ("host", cluster.Hosts[host]), ("reason", reason),
                ("ejection_s", duration.TotalSeconds), ("ejections", count));
        }
    }

    /// <summary>Ends ejections whose time is up, every interval, until stopped.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(config.Interval, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            lock (_lock)
            {
                for (var host = 0; host < _ejectedUntil.Length; host++)
                {
                    if (cluster.Health.IsEjected(host) && now >= _ejectedUntil[host])
                    {
                        cluster.Health.SetEjected(host, false);
                        Log.Info("host returned from ejection", ("cluster", cluster.Name), ("host", cluster.Hosts[host]));
                    }
                }
            }
        }
    }
}
