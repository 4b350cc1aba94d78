using MeshEdge.Config.Model;

namespace MeshEdge.Native.Http.Routing;

/// <summary>A compiled virtual host: its domain patterns and its routes in order.</summary>
internal sealed class VirtualHostRoutes
{
    private readonly DomainPattern[] _domains;

    public VirtualHostRoutes(VirtualHostConfig config, CompiledRoute[] routes)
    {
        Name = config.Name;
        _domains = [.. config.Domains.Select(DomainPattern.Parse)];
        Routes = routes;
    }

    public string Name { get; }

    public CompiledRoute[] Routes { get; }

    /// <summary>How specifically this host matches <paramref name="host"/> (lower case, no port): -1 for not at all.</summary>
    public int MatchScore(ReadOnlySpan<byte> host)
    {
        var best = -1;
        foreach (var domain in _domains)
        {
            best = Math.Max(best, domain.Score(host));
        }

        return best;
    }

    public CompiledRoute? Match(RequestHead head, Tls.TlsPeerIdentity? peer = null)
    {
        foreach (var route in Routes)
        {
            if (route.Matches(head, peer))
            {
                return route;
            }
        }

        return null;
    }
}
