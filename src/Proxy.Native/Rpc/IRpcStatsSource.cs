namespace MeshEdge.Native.Rpc;

/// <summary>A listener's RPC counters over all workers: at exit, and live by the admin API (plain reads of other workers' fields, at most a moment old).</summary>
internal interface IRpcStatsSource
{
    string Protocol { get; }

    RpcListenerStats MergeListenerStats();

    /// <summary>Adds this listener's counters for cluster <paramref name="clusterIndex"/> to <paramref name="total"/>; false when it never used it.</summary>
    bool AddClusterStats(int clusterIndex, RpcClusterStats total);

    /// <summary>The counters per (service, method), merged over workers by name; pairs with no request yet are left out.</summary>
    IReadOnlyList<RpcMethodStats> MergeMethodStats();
}
