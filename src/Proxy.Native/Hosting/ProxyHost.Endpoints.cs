using System.Diagnostics;
using MeshEdge.Config.Model;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Endpoint changes without a recompile: a cluster that keeps its settings keeps its
/// <see cref="ClusterRuntime"/> (id, breakers, balancers, pools), so a new host list is a new host
/// set published by the cluster itself (<see cref="ClusterRuntime.ReplaceHosts"/>), which workers
/// pick up at their next pick. The config in effect gets the cluster's new version in its place.
/// </summary>
internal sealed partial class ProxyHost : ILiveEndpointTarget
{
    /// <summary>Cluster name to position in the snapshot's clusters (and the config's: the compiler keeps the config's order), for <see cref="_clusterPositionsOf"/>.</summary>
    private Dictionary<string, int>? _clusterPositions;
    private WorkerSnapshot? _clusterPositionsOf;

    public string? TryUpdateHosts(IReadOnlyList<ClusterConfig> clusters, string origin, string version)
    {
        lock (_liveLock)
        {
            if (_live is not { Config: { } config } live || _stopSignal.IsSet)
            {
                return "the process is not serving a config it can change in place";
            }

            var clock = Stopwatch.StartNew();
            var positions = ClusterPositions(live.Snapshot);
            var found = new (ClusterRuntime Runtime, int Position)[clusters.Count];
            for (var i = 0; i < clusters.Count; i++)
            {
                var next = clusters[i];
                if (!positions.TryGetValue(next.Name, out var position) || config.Clusters[position].Name != next.Name)
                {
                    return $"cluster {next.Name} is not running";
                }

                var runtime = live.Snapshot.Clusters[position];
                if (!LiveConfigDiff.SameSettings(runtime.Config, next))
                {
                    return $"cluster {next.Name} changed more than its hosts";
                }

                found[i] = (runtime, position);
            }

            var updated = config.Clusters.ToBuilder();
            for (var i = 0; i < clusters.Count; i++)
            {
                found[i].Runtime.ReplaceHosts(clusters[i]);
                updated[found[i].Position] = clusters[i];
            }

            live.Config = config with { Clusters = updated.ToImmutable() };
            if (_admin is not null)
            {
                _admin.Config = live.Config;
            }

            _liveStatus.Accepted(origin, version, [LiveConfigStatus.Clusters], clock.Elapsed);
            Log.Info("endpoints applied", ("origin", origin), ("version", version), ("clusters", clusters.Count),
                ("apply_ms", Math.Round(clock.Elapsed.TotalMilliseconds, 3)));
            return null;
        }
    }

    private Dictionary<string, int> ClusterPositions(WorkerSnapshot snapshot)
    {
        if (!ReferenceEquals(_clusterPositionsOf, snapshot) || _clusterPositions is null)
        {
            _clusterPositions = new Dictionary<string, int>(snapshot.Clusters.Length, StringComparer.Ordinal);
            for (var i = 0; i < snapshot.Clusters.Length; i++)
            {
                _clusterPositions[snapshot.Clusters[i].Name] = i;
            }

            _clusterPositionsOf = snapshot;
        }

        return _clusterPositions;
    }
}
