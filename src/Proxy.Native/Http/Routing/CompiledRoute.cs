using System.Text;
using MeshEdge.Config.Model;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http.Routing;

/// <summary>
/// One route ready for the data path: every string the match or the rewrite needs is bytes, every
/// cluster an index. Immutable and shared by all workers.
/// </summary>
internal sealed class CompiledRoute
{
    private readonly byte[] _path;
    private readonly ByteRegex? _pathRegex;
    private readonly ValueCondition[] _headers;
    private readonly ValueCondition[] _query;
    private readonly int[] _cumulativeWeights;
    private readonly TlsRouteCondition? _tls;

    public CompiledRoute(int index, RouteConfig config, Func<string, int> clusterIndex)
    {
        Index = index;
        Config = config;
        PathKind = config.Match.PathKind;
        _path = Encoding.UTF8.GetBytes(config.Match.PathValue);
        _pathRegex = PathKind == PathMatchKind.Regex ? new ByteRegex(config.Match.PathValue) : null;
        _headers = [.. config.Match.Headers.Select(h => new ValueCondition(h))];
        _query = [.. config.Match.QueryParameters.Select(q => new ValueCondition(q))];
        _tls = config.Match.Tls is { } tls ? new TlsRouteCondition(tls) : null;
        Action = config.Cluster is not null ? RouteAction.Cluster
            : !config.WeightedClusters.IsEmpty ? RouteAction.WeightedClusters
            : config.DirectResponse is not null ? RouteAction.DirectResponse
            : RouteAction.Redirect;
        ClusterIndex = config.Cluster is { } cluster ? clusterIndex(cluster) : -1;
        WeightedClusterIndexes = [.. config.WeightedClusters.Select(w => clusterIndex(w.Cluster))];
        var running = 0;
        _cumulativeWeights = [.. config.WeightedClusters.Select(w => running += w.Weight)];
        DirectBody = Encoding.UTF8.GetBytes(config.DirectResponse?.Body ?? "");
        PrefixRewrite = config.PrefixRewrite is { } prefix ? Encoding.UTF8.GetBytes(prefix) : null;
        HostRewrite = config.HostRewrite is { } host ? Encoding.UTF8.GetBytes(host) : null;
        RequestHeaders = config.RequestHeaders.IsEmpty ? HeaderMutation.None : new HeaderMutation(config.RequestHeaders);
        ResponseHeaders = config.ResponseHeaders.IsEmpty ? HeaderMutation.None : new HeaderMutation(config.ResponseHeaders);
        TimeoutMs = (long)config.Timeout.TotalMilliseconds;
        PerTryTimeoutMs = (long)config.Retry.PerTryTimeout.TotalMilliseconds;
        HashName = Encoding.UTF8.GetBytes(config.HashPolicy?.Name ?? "");
    }

    /// <summary>The header (lower case) or cookie name the hash policy reads.</summary>
    public byte[] HashName { get; }

    /// <summary>Position in the listener's flattened route list, for per-route stats.</summary>
    public int Index { get; }

    public RouteConfig Config { get; }

    public PathMatchKind PathKind { get; }

    public RouteAction Action { get; }

    public int ClusterIndex { get; }

    public int[] WeightedClusterIndexes { get; }

    public byte[] DirectBody { get; }

    public byte[]? PrefixRewrite { get; }

    public byte[]? HostRewrite { get; }

    public HeaderMutation RequestHeaders { get; }

    public HeaderMutation ResponseHeaders { get; }

    public long TimeoutMs { get; }

    public long PerTryTimeoutMs { get; }

    /// <summary>The matched prefix (or the whole exact path) that <see cref="PrefixRewrite"/> replaces.</summary>
    public int MatchedPathLength => PathKind == PathMatchKind.Regex ? -1 : _path.Length;

    /// <param name="peer">The downstream connection's TLS peer; null on a plaintext connection.</param>
    public bool Matches(RequestHead head, Tls.TlsPeerIdentity? peer = null)
    {
        if (_tls is not null && !_tls.Matches(peer))
        {
            return false;
        }

        var path = head.Path;
        var pathMatches = PathKind switch
        {
            PathMatchKind.Prefix => path.StartsWith(_path),
            PathMatchKind.Exact => path.SequenceEqual(_path),
            _ => _pathRegex!.IsMatch(path),
        };
        if (!pathMatches)
        {
            return false;
        }

        foreach (var condition in _headers)
        {
            var field = head.Find(condition.Name);
            if (!condition.Matches(field >= 0, field >= 0 ? head.Value(field) : default))
            {
                return false;
            }
        }

        if (_query.Length > 0)
        {
            var query = head.Query;
            foreach (var condition in _query)
            {
                var found = condition.TryFindQueryValue(query, out var value);
                if (!condition.Matches(found, value))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The cluster for this request: the route's own, or a weighted pick.</summary>
    public int PickCluster(FastRandom random)
    {
        if (Action == RouteAction.Cluster)
        {
            return ClusterIndex;
        }

        var total = _cumulativeWeights[^1];
        var ticket = random.Next(total);
        for (var i = 0; i < _cumulativeWeights.Length; i++)
        {
            if (ticket < _cumulativeWeights[i])
            {
                return WeightedClusterIndexes[i];
            }
        }

        return WeightedClusterIndexes[^1];
    }

    /// <summary>Whether a response with this status may be retried under the route's policy.</summary>
    public bool RetriesStatus(int status)
    {
        var on = Config.Retry.On;
        return ((on & RetryOn.ServerError) != 0 && status >= 500)
            || ((on & RetryOn.GatewayError) != 0 && status is 502 or 503 or 504)
            || ((on & RetryOn.RetriableStatusCodes) != 0 && Config.Retry.RetriableStatusCodes.Contains(status));
    }
}
