using System.Collections.Immutable;
using System.Net;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Upstream;

/// <summary>A cluster as workers see it: its settings and an immutable host set.</summary>
internal sealed class ClusterRuntime(int index, ClusterConfig config)
{
    public int Index { get; } = index;

    public ClusterConfig Config { get; } = config;

    public string Name => Config.Name;

    public ImmutableArray<IPEndPoint> Hosts { get; } = config.Hosts;

    public int ConnectTimeoutMs { get; } = (int)Math.Min(int.MaxValue, config.ConnectTimeout.TotalMilliseconds);
}
