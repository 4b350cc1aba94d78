using System.Collections.Immutable;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// One worker's host picker for one cluster. It follows the cluster's current
/// <see cref="HostSnapshot"/>: when that changes (membership or health), the per-level policies are
/// built again over the new routable hosts, at the next pick, on the worker itself, so nothing is
/// shared but immutable data. A pick chooses a priority level by its load, then a host in it.
/// </summary>
internal sealed class ClusterBalancer(ClusterRuntime cluster, int worker)
{
    private readonly FastRandom _random = new(HostHash.Mix(((ulong)cluster.Index << 32) | (uint)worker) ^ (ulong)Environment.TickCount64);
    private readonly bool _hashing = cluster.Config.LbPolicy is LoadBalancerPolicy.RingHash or LoadBalancerPolicy.Maglev;
    private HostSnapshot? _snapshot;
    private ILoadBalancer?[] _levels = [];

    public ClusterRuntime Cluster => cluster;

    /// <summary>
    /// The host for a request, or null when the cluster has no host at all. <paramref name="avoid"/>
    /// (the host a retry just failed on) is passed over when another host can take the request.
    /// </summary>
    public UpstreamHost? Pick(ulong hashKey, int attempt, UpstreamHost? avoid = null)
    {
        var snapshot = cluster.Snapshot;
        if (!ReferenceEquals(snapshot, _snapshot))
        {
            Rebuild(snapshot);
        }

        var routable = snapshot.Routable;
        if (routable.Length == 0)
        {
            return null;
        }

        if (routable.Length == 1 && routable[0].Length == 1 && snapshot.Set.Tables[0] is null)
        {
            // One routable host and no hash table: whatever the policy, it is the answer (a sidecar's
            // cluster is often just the local application).
            return routable[0][0];
        }

        var level = routable.Length == 1 ? 0 : snapshot.LevelFor(_hashing ? (int)(hashKey % 100) : _random.Next(100));
        return snapshot.Set.Tables[level] is { } table
            ? PickHashed(snapshot, level, table, hashKey, attempt, avoid)
            : PickFrom(routable[level], _levels[level]!, hashKey, attempt, avoid);
    }

    private static UpstreamHost PickFrom(ImmutableArray<UpstreamHost> hosts, ILoadBalancer policy, ulong hashKey, int attempt, UpstreamHost? avoid)
    {
        var index = policy.Pick(hashKey, attempt);
        // Round robin moves on by itself; a random draw may repeat, so the next host is taken.
        return ReferenceEquals(hosts[index], avoid) && hosts.Length > 1 ? hosts[(index + 1) % hosts.Length] : hosts[index];
    }

    /// <summary>
    /// The table covers every host of the level (so keys stay put through health flips); an owner
    /// that may not take traffic now is passed over by asking again with the next attempt number,
    /// which walks the ring or rehashes, up to once per host.
    /// </summary>
    private static UpstreamHost PickHashed(HostSnapshot snapshot, int level, ILoadBalancer table, ulong hashKey, int attempt, UpstreamHost? avoid)
    {
        var hosts = snapshot.Set.Levels[level];
        var panic = snapshot.Panic[level];
        var index = table.Pick(hashKey, attempt);
        for (var skip = 1; skip <= hosts.Length && Passed(hosts[index]); skip++)
        {
            index = table.Pick(hashKey, attempt + skip);
        }

        // Rehashing may keep landing on passed-over hosts; then the next acceptable one in order.
        for (var step = 0; step < hosts.Length && Passed(hosts[index]); step++)
        {
            index = (index + 1) % hosts.Length;
        }

        return hosts[index];

        bool Passed(UpstreamHost host) => (!panic && !host.IsHealthy) || (ReferenceEquals(host, avoid) && hosts.Length > 1);
    }

    private void Rebuild(HostSnapshot snapshot)
    {
        _snapshot = snapshot;
        var routable = snapshot.Routable;
        _levels = new ILoadBalancer?[routable.Length];
        for (var level = 0; level < routable.Length; level++)
        {
            var hosts = routable[level];
            _levels[level] = hosts.IsEmpty || snapshot.Set.Tables[level] is not null ? null : cluster.Config.LbPolicy switch
            {
                LoadBalancerPolicy.LeastRequest => new LeastRequestBalancer(hosts, worker, _random.NextUInt64()),
                LoadBalancerPolicy.Random => new RandomBalancer(hosts, _random.NextUInt64()),
                _ => new WeightedRoundRobinBalancer(hosts, worker),
            };
        }
    }
}
