using System.Collections.Immutable;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// Where a cluster's traffic goes right now: for each priority level of the current
/// <see cref="HostSet"/>, the hosts that may be picked and the share of requests the level gets.
/// Rebuilt and swapped whole whenever membership or any host's health changes (rare), so a pick
/// on the data path only reads it.
/// <para>
/// The rules are Envoy's. A level's health is its healthy fraction times the overprovisioning
/// factor 1.4, capped at 100%; levels take load in priority order until 100% is placed, and when
/// the levels' health adds up to less than 100% their loads are scaled up to fill it. A level in
/// which fewer than half the hosts are healthy is in panic: it balances over all its hosts, since
/// a mass failure more often means the checks are wrong than that every host is down. With no
/// healthy host anywhere, level 0 takes everything, in panic.
/// </para>
/// </summary>
internal sealed class HostSnapshot
{
    private const int Overprovisioning = 140;

    /// <summary>The usual snapshot's arrays (one level, every host healthy), shared: a cluster costs no arrays of its own for them.</summary>
    private static readonly ImmutableArray<bool> NoPanic = [false];
    private static readonly ImmutableArray<int> WholeLoad = [100];

    public HostSnapshot(HostSet set)
    {
        Set = set;
        var levels = set.Levels;
        if (levels.Length == 1 && AllHealthy(levels[0]))
        {
            // One level, all healthy (a sidecar's thousands of clusters, mostly): it takes all the load, over all its hosts.
            Routable = levels;
            Panic = NoPanic;
            CumulativeLoad = WholeLoad;
            HealthyCount = levels[0].Length;
            return;
        }

        var routable = ImmutableArray.CreateBuilder<ImmutableArray<UpstreamHost>>(levels.Length);
        var panic = new bool[levels.Length];
        var health = new int[levels.Length];
        var healthSum = 0;
        for (var p = 0; p < levels.Length; p++)
        {
            var all = levels[p];
            var healthy = all.Where(h => h.IsHealthy).ToImmutableArray();
            panic[p] = healthy.Length * 2 < all.Length;
            routable.Add(panic[p] ? all : healthy);
            health[p] = (int)Math.Min(100, healthy.Length * Overprovisioning / all.Length);
            healthSum += health[p];
        }

        Routable = routable.MoveToImmutable();
        Panic = [.. panic];
        CumulativeLoad = [.. PlaceLoad(health, healthSum)];
        HealthyCount = set.Hosts.Count(h => h.IsHealthy);
    }

    public HostSet Set { get; }

    /// <summary>Per level, the hosts a pick may land on.</summary>
    public ImmutableArray<ImmutableArray<UpstreamHost>> Routable { get; }

    /// <summary>Per level, whether health is being ignored.</summary>
    public ImmutableArray<bool> Panic { get; }

    /// <summary>Per level, the running total of its percentage of load: a draw in [0, 100) picks the first level above it.</summary>
    public ImmutableArray<int> CumulativeLoad { get; }

    public int HealthyCount { get; }

    /// <summary>The level for a draw in [0, 100).</summary>
    public int LevelFor(int draw)
    {
        var loads = CumulativeLoad;
        for (var p = 0; p < loads.Length - 1; p++)
        {
            if (draw < loads[p])
            {
                return p;
            }
        }

        return loads.Length - 1;
    }

    private static bool AllHealthy(ImmutableArray<UpstreamHost> hosts)
    {
        foreach (var host in hosts)
        {
            if (!host.IsHealthy)
            {
                return false;
            }
        }

        return true;
    }

    private static int[] PlaceLoad(int[] health, int healthSum)
    {
        var cumulative = new int[health.Length];
        if (health.Length == 0)
        {
            return cumulative;
        }

        if (healthSum == 0)
        {
            Array.Fill(cumulative, 100);
            return cumulative;
        }

        // Scaled up when the levels together are under 100%, so that every request has a level.
        var placed = 0;
        for (var p = 0; p < health.Length; p++)
        {
            var share = healthSum >= 100 ? health[p] : (int)Math.Round(health[p] * 100.0 / healthSum);
            placed += Math.Min(100 - placed, share);
            cumulative[p] = placed;
        }

        cumulative[^1] = 100;
        return cumulative;
    }
}
