using System.Diagnostics;
using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// Passive health for one cluster, fed by every worker's responses. The steady state is a plain
/// read per response (a success only writes when a failure streak was running) plus the host's
/// per-worker outcome counters; failures add with an interlocked increment. An ejection is rare
/// and takes a lock. The detector's own task, off the data path, ends ejections whose time is up
/// and runs success-rate ejection once per interval. The ejection time grows with each ejection of
/// the same host, up to max_ejection_time.
/// </summary>
internal sealed class OutlierDetector(ClusterRuntime cluster, OutlierDetectionConfig config)
{
    private readonly Lock _lock = new();
    private long _ejectionsTotal;
    private long _successRateEjections;

    /// <summary>Ejections since start, for stats.</summary>
    public long EjectionsTotal => Volatile.Read(ref _ejectionsTotal);

    /// <summary>Of those, the ones success-rate detection made.</summary>
    public long SuccessRateEjections => Volatile.Read(ref _successRateEjections);

    public void ReportSuccess(UpstreamHost host, int worker)
    {
        host.RecordOutcome(worker, success: true);
        if (Volatile.Read(ref host.Consecutive5xx) != 0)
        {
            Volatile.Write(ref host.Consecutive5xx, 0);
        }

        if (Volatile.Read(ref host.ConsecutiveGatewayFailures) != 0)
        {
            Volatile.Write(ref host.ConsecutiveGatewayFailures, 0);
        }
    }

    /// <summary>A response with <paramref name="status"/> from <paramref name="host"/>.</summary>
    public void ReportStatus(UpstreamHost host, int worker, int status)
    {
        if (status < 500)
        {
            ReportSuccess(host, worker);
            return;
        }

        host.RecordOutcome(worker, success: false);
        Count(host, fiveXx: true, gateway: status is 502 or 503 or 504);
    }

    /// <summary>A connect failure, a reset or a timeout before any response: a gateway failure (and a 5xx, as Envoy counts it).</summary>
    public void ReportGatewayFailure(UpstreamHost host, int worker)
    {
        host.RecordOutcome(worker, success: false);
        Count(host, fiveXx: true, gateway: true);
    }

    private void Count(UpstreamHost host, bool fiveXx, bool gateway)
    {
        var over5xx = fiveXx && config.Consecutive5xx > 0 && Interlocked.Increment(ref host.Consecutive5xx) >= config.Consecutive5xx;
        var overGateway = gateway && config.ConsecutiveGatewayFailure > 0
            && Interlocked.Increment(ref host.ConsecutiveGatewayFailures) >= config.ConsecutiveGatewayFailure;
        if (over5xx || overGateway)
        {
            TryEject(host, over5xx ? "consecutive_5xx" : "consecutive_gateway_failure");
        }
    }

    private bool TryEject(UpstreamHost host, string reason)
    {
        lock (_lock)
        {
            var hosts = cluster.Hosts;
            var allowed = Math.Max(1, hosts.Length * config.MaxEjectionPercent / 100);
            if (host.IsEjected || host.IsRemoved || hosts.Count(h => h.IsEjected) >= allowed)
            {
                return false;
            }

            var count = ++host.Ejections;
            var duration = config.BaseEjectionTime * count;
            if (duration > config.MaxEjectionTime)
            {
                duration = config.MaxEjectionTime;
            }

            host.EjectedUntil = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            host.Consecutive5xx = 0;
            host.ConsecutiveGatewayFailures = 0;
            _ejectionsTotal++;
            host.SetEjected(true);
            Log.Warn("host ejected", ("cluster", cluster.Name), ("host", host.Name), ("reason", reason),
                ("ejection_s", duration.TotalSeconds), ("ejections", count));
        }

        cluster.HealthChanged();
        return true;
    }

    /// <summary>Every interval: ends ejections whose time is up, then judges success rates, until stopped.</summary>
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

            EndEjections(Stopwatch.GetTimestamp());
            EjectBySuccessRate();
        }
    }

    internal void EndEjections(long now)
    {
        var changed = false;
        lock (_lock)
        {
            foreach (var host in cluster.Hosts)
            {
                if (host.IsEjected && now >= host.EjectedUntil)
                {
                    host.SetEjected(false);
                    changed = true;
                    Log.Info("host returned from ejection", ("cluster", cluster.Name), ("host", host.Name));
                }
            }
        }

        if (changed)
        {
            cluster.HealthChanged();
        }
    }

    /// <summary>
    /// Envoy's success-rate rule over the last interval: with enough hosts that saw enough requests,
    /// a host below mean - factor * stdev of their success rates is ejected.
    /// </summary>
    internal void EjectBySuccessRate()
    {
        var hosts = cluster.Hosts;
        Span<double> rates = hosts.Length <= 256 ? stackalloc double[hosts.Length] : new double[hosts.Length];
        var qualified = 0;
        double sum = 0;
        for (var i = 0; i < hosts.Length; i++)
        {
            var host = hosts[i];
            var completed = host.CompletedTotal;
            var successes = host.SuccessesTotal;
            var requests = completed - host.WindowRequestsSeen;
            var good = successes - host.WindowSuccessesSeen;
            host.WindowRequestsSeen = completed;
            host.WindowSuccessesSeen = successes;
            rates[i] = -1;
            if (requests >= config.SuccessRateRequestVolume && !host.IsEjected)
            {
                rates[i] = 100.0 * good / requests;
                sum += rates[i];
                qualified++;
            }
        }

        if (config.SuccessRateMinimumHosts == 0 || qualified < config.SuccessRateMinimumHosts)
        {
            return;
        }

        var mean = sum / qualified;
        double variance = 0;
        for (var i = 0; i < hosts.Length; i++)
        {
            if (rates[i] >= 0)
            {
                variance += (rates[i] - mean) * (rates[i] - mean);
            }
        }

        var threshold = mean - (config.SuccessRateStdevFactor / 1000.0 * Math.Sqrt(variance / qualified));
        for (var i = 0; i < hosts.Length; i++)
        {
            if (rates[i] >= 0 && rates[i] < threshold && TryEject(hosts[i], "success_rate"))
            {
                Interlocked.Increment(ref _successRateEjections);
            }
        }
    }
}
