using System.Collections.Immutable;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Config.Model;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// A listener's RPC routes compiled against the snapshot's clusters: immutable, shared by every
/// worker. First match wins; no match falls back to the listener's cluster, if it names one.
/// </summary>
internal sealed class RpcRouteTable
{
    private readonly RpcRoute[] _routes;

    public RpcRouteTable(RpcProxyConfig config, ImmutableArray<ClusterRuntime> clusters)
    {
        DefaultTimeoutMs = ToMilliseconds(config.Timeout);
        _routes = config.Routes
            .Select(route => new RpcRoute(
                route.Match,
                IndexOf(clusters, route.Cluster),
                route.Timeout is { } timeout ? ToMilliseconds(timeout) : DefaultTimeoutMs))
            .ToArray();
        FallbackClusterIndex = config.Cluster is { } fallback ? IndexOf(clusters, fallback) : -1;
        MatchesOnNamesOnly = config.Routes.All(route => route.Match.Headers.IsEmpty);
    }

    /// <summary>Whether no route looks at headers beyond the service and method: then the pair of names decides the route.</summary>
    public bool MatchesOnNamesOnly { get; }

    public int DefaultTimeoutMs { get; }

    /// <summary>The cluster for requests no route matches; -1 when they are answered with a no-route error.</summary>
    public int FallbackClusterIndex { get; }

    /// <summary>
    /// The cluster index for a request with these headers, <paramref name="service"/> (when
    /// <paramref name="hasService"/>; the caller looked it up once already) and <paramref name="method"/>
    /// (empty when unknown), or -1; <paramref name="timeoutMs"/> is the route's default timeout.
    /// </summary>
    public int Match<TCodec>(in TCodec codec, ReadOnlySpan<byte> headerBlock, bool hasService, ReadOnlySpan<byte> service, ReadOnlySpan<byte> method, out int timeoutMs)
        where TCodec : struct, IRpcCodec
    {
        foreach (var route in _routes)
        {
            if (route.Matches(codec, headerBlock, hasService, service, method))
            {
                timeoutMs = route.TimeoutMs;
                return route.ClusterIndex;
            }
        }

        timeoutMs = DefaultTimeoutMs;
        return FallbackClusterIndex;
    }

    private static int IndexOf(ImmutableArray<ClusterRuntime> clusters, string name) =>
        clusters.First(cluster => cluster.Name == name).Index;

    private static int ToMilliseconds(TimeSpan value) => (int)Math.Clamp(value.TotalMilliseconds, 1, int.MaxValue);
}
