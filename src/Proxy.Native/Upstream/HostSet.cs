using System.Collections.Immutable;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// A cluster's membership at one moment: its hosts grouped by priority level (0 first), and for
/// the consistent-hashing policies one table per level. Immutable: an update (DNS answer,
/// discovery push) builds a new set and swaps it in whole, so workers read it with no lock.
/// Hash tables are built here, over every host of a level, because rebuilding them on each health
/// flip would both cost and move keys: an unhealthy owner is passed over at pick time instead.
/// </summary>
internal sealed class HostSet
{
    /// <summary>One level without a hash table (the usual case), shared by every such set.</summary>
    private static readonly ImmutableArray<ILoadBalancer?> NoTable = [null];

    public static readonly HostSet Empty = new([], LoadBalancerPolicy.RoundRobin, 0);

    public HostSet(ImmutableArray<UpstreamHost> hosts, LoadBalancerPolicy policy, long version)
    {
        Version = version;
        Hosts = hosts;
        Levels = hosts.IsEmpty ? [] : OnePriority(hosts) ? [hosts] : [.. hosts.GroupBy(h => h.Priority).OrderBy(g => g.Key).Select(g => g.ToImmutableArray())];
        Tables = policy is not (LoadBalancerPolicy.RingHash or LoadBalancerPolicy.Maglev) && Levels.Length == 1 ? NoTable : [.. Levels.Select(level => policy switch
        {
            LoadBalancerPolicy.RingHash => (ILoadBalancer)new HashRing(level),
            LoadBalancerPolicy.Maglev => new MaglevTable(level),
            _ => null,
        })];
    }

    /// <summary>Counts up with every membership change, for logs and the admin API.</summary>
    public long Version { get; }

    /// <summary>Every host, lowest priority level first.</summary>
    public ImmutableArray<UpstreamHost> Hosts { get; }

    /// <summary>The hosts of each priority level present, in priority order.</summary>
    public ImmutableArray<ImmutableArray<UpstreamHost>> Levels { get; }

    /// <summary>Per level, the shared consistent-hash table (null for the other policies).</summary>
    public ImmutableArray<ILoadBalancer?> Tables { get; }

    private static bool OnePriority(ImmutableArray<UpstreamHost> hosts)
    {
        foreach (var host in hosts)
        {
            if (host.Priority != hosts[0].Priority)
            {
                return false;
            }
        }

        return true;
    }
}
