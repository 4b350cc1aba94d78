using MeshEdge.Config.Model;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// The background work clusters need, off the data path: DNS resolution for strict_dns clusters,
/// the host file of eds clusters, active health checks, and the outlier detector's interval task.
/// </summary>
internal sealed class ClusterTasks
{
    /// <summary>How long start-up waits for the first DNS answers before serving anyway.</summary>
    private static readonly TimeSpan InitialResolutionLimit = TimeSpan.FromSeconds(5);

    private readonly ClusterRuntime[] _clusters;
    private readonly DnsResolver[] _resolvers;
    private readonly EdsFileSource[] _edsFiles;

    public ClusterTasks(IEnumerable<ClusterRuntime> clusters)
    {
        _clusters = [.. clusters];
        _resolvers = [.. _clusters.Where(c => c.Config.Type == ClusterType.StrictDns).Select(c => new DnsResolver(c))];
        _edsFiles = [.. _clusters.Where(c => c.Config.EdsPath is not null).Select(c => new EdsFileSource(c, c.Config.EdsPath!))];
    }

    /// <summary>
    /// Resolves every strict_dns name and reads every eds file once, before traffic, as Envoy warms
    /// a cluster: a request arriving a moment after start-up should find hosts. DNS is bounded, so a
    /// dead resolver delays start-up by seconds, not forever; such a cluster answers "no healthy
    /// upstream" until DNS works.
    /// </summary>
    public void Warm()
    {
        foreach (var source in _edsFiles)
        {
            source.Poll();
        }

        if (_resolvers.Length > 0)
        {
            using var limit = new CancellationTokenSource(InitialResolutionLimit);
            // The limit also bounds the wait itself, in case a lookup does not heed its cancellation.
            Task.WaitAll([.. _resolvers.Select(r => Task.Run(() => r.RefreshAsync(limit.Token)))], InitialResolutionLimit + TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Whether <paramref name="cluster"/> has background work at all (most clusters from a control plane have none).</summary>
    public static bool Needed(ClusterRuntime cluster) =>
        cluster.Config.Type == ClusterType.StrictDns || cluster.Config.EdsPath is not null || cluster.Config.HealthCheck is not null || cluster.Outliers is not null;

    public Task[] Start(CancellationToken stopping)
    {
        var tasks = new List<Task>();
        foreach (var resolver in _resolvers)
        {
            tasks.Add(Task.Run(() => resolver.RunAsync(stopping, initialDone: true)));
        }

        foreach (var source in _edsFiles)
        {
            tasks.Add(Task.Run(() => source.RunAsync(stopping)));
        }

        foreach (var cluster in _clusters)
        {
            if (cluster.Config.HealthCheck is { } check)
            {
                tasks.Add(Task.Run(() => new ActiveHealthChecker(cluster, check).RunAsync(stopping)));
            }

            if (cluster.Outliers is { } outliers)
            {
                tasks.Add(Task.Run(() => outliers.RunAsync(stopping)));
            }
        }

        return [.. tasks];
    }
}
