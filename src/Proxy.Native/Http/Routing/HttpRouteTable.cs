using MeshEdge.Config.Model;

namespace MeshEdge.Native.Http.Routing;

/// <summary>
/// A listener's compiled route configuration: virtual hosts chosen by Host, then the first matching
/// route. Built once per config snapshot and read by every worker without locks.
/// </summary>
internal sealed class HttpRouteTable
{
    private readonly VirtualHostRoutes[] _hosts;

    public HttpRouteTable(HttpConfig config, Func<string, int> clusterIndex)
    {
        var routeIndex = 0;
        _hosts = [.. config.VirtualHosts.Select(host => new VirtualHostRoutes(
            host,
            [.. host.Routes.Select(route => new CompiledRoute(routeIndex++, route, clusterIndex))]))];
        RouteCount = routeIndex;
    }

    /// <summary>Routes over all virtual hosts; each has a distinct <see cref="CompiledRoute.Index"/>.</summary>
    public int RouteCount { get; }

    /// <summary>The route for <paramref name="head"/> from a client with TLS identity <paramref name="peer"/> (null: plaintext), or null (404).</summary>
    public CompiledRoute? Route(RequestHead head, Tls.TlsPeerIdentity? peer = null)
    {
        var host = StripPort(head.Authority);
        VirtualHostRoutes? best = null;
        var bestScore = -1;
        foreach (var candidate in _hosts)
        {
            var score = candidate.MatchScore(host);
            if (score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        return best?.Match(head, peer);
    }

    /// <summary>"example.com:8080" → "example.com"; "[::1]:80" → "[::1]".</summary>
    internal static ReadOnlySpan<byte> StripPort(ReadOnlySpan<byte> authority)
    {
        var colon = authority.LastIndexOf((byte)':');
        if (colon < 0 || authority.LastIndexOf((byte)']') > colon)
        {
            return authority;
        }

        return authority[..colon];
    }
}
