using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Hosting;

/// <summary>The host's part of standby: resolve <c>[standby]</c> against the snapshot and start in runtime.mode.</summary>
internal sealed partial class ProxyHost
{
    private StandbyController StartStandby(WorkerSnapshot snapshot, Worker[] workers)
    {
        var config = _config.Standby;
        var diversion = config is null
            ? null
            : StandbyDiversion.Of(
                snapshot.Clusters.Length,
                config.LocalClusters.Zip(config.PeersClusters, (local, peers) => (IndexOf(snapshot, local), IndexOf(snapshot, peers))),
                config.LocalShare);
        var controller = new StandbyController(workers, diversion, config?.LocalShare ?? 1);
        if (_admin is not null)
        {
            _admin.Standby = controller;
            _admin.Metrics.Standby = controller;
        }

        controller.Start(_config.Runtime.Mode);
        WarnOfBufferLimitsOverTheShare(workers.Length);
        return controller;
    }

    /// <summary>
    /// A listener's buffer_limit is the per-connection limit under the budget; one past a worker's share
    /// lets a single connection trip every overload stage of its worker on its own.
    /// </summary>
    private void WarnOfBufferLimitsOverTheShare(int workerCount)
    {
        if (_budget.Bytes is not { } budget)
        {
            return;
        }

        var share = budget / workerCount;
        foreach (var listener in _config.Listeners.Where(l => l.BufferLimitBytes > share))
        {
            Log.Warn("a listener's buffer_limit is more than a worker's share of the memory budget: one connection can fill it",
                ("listener", listener.Name), ("buffer_limit", listener.BufferLimitBytes), ("budget_share_bytes", share));
        }
    }

    private static int IndexOf(WorkerSnapshot snapshot, string cluster) => snapshot.Clusters.First(c => c.Name == cluster).Index;
}
