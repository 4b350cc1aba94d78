using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// Active health checking for one cluster: every interval (with 10% jitter, so many proxies do not
/// probe in step) each current host gets a <see cref="HealthProbe"/>; consecutive failures and
/// passes past the thresholds flip its flag and republish the cluster's routing. Hosts that a DNS
/// answer or a discovery push adds are probed from the next round. Runs on its own task.
/// </summary>
internal sealed class ActiveHealthChecker(ClusterRuntime cluster, HealthCheckConfig config)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        var random = new Random();
        while (!stopping.IsCancellationRequested)
        {
            await CheckRoundAsync(stopping);

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

    /// <summary>One round: every current host probed once, at the same time.</summary>
    internal Task CheckRoundAsync(CancellationToken stopping) => Task.WhenAll(cluster.Hosts.Select(host => CheckAsync(host, stopping)));

    /// <summary>
    /// Probes <paramref name="host"/>. A flip is published at once, not at the end of the round:
    /// a slow probe of another host must not keep traffic going to one known dead.
    /// </summary>
    private async Task CheckAsync(UpstreamHost host, CancellationToken stopping)
    {
        if (await ProbeAndCountAsync(host, stopping))
        {
            cluster.HealthChanged();
        }
    }

    /// <summary>Probes <paramref name="host"/>; true when its health flag flipped.</summary>
    private async Task<bool> ProbeAndCountAsync(UpstreamHost host, CancellationToken stopping)
    {
        var passed = await HealthProbe.RunAsync(config, host, cluster.Tls, stopping);
        if (stopping.IsCancellationRequested)
        {
            return false;
        }

        // A host never checked before needs one pass, not healthy_threshold of them, as in Envoy.
        var first = !host.Checked;
        host.Checked = true;
        if (passed)
        {
            host.CheckFailures = 0;
            if ((++host.CheckPasses >= config.HealthyThreshold || first) && host.SetFailsChecks(false))
            {
                Log.Info("host healthy", ("cluster", cluster.Name), ("host", host.Name));
                return true;
            }

            return false;
        }

        host.CheckPasses = 0;
        if (++host.CheckFailures >= config.UnhealthyThreshold && host.SetFailsChecks(true))
        {
            Log.Warn("host unhealthy", ("cluster", cluster.Name), ("host", host.Name), ("failed_checks", host.CheckFailures));
            return true;
        }

        return false;
    }
}
