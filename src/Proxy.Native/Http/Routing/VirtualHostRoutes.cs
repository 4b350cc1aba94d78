using System.Text;
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

    public CompiledRoute? Match(RequestHead head)
    {
        foreach (var route in Routes)
        {
            if (route.Matches(head))
            {
                return route;
            }
        }

        return null;
    }

    /// <summary>
    /// One domain pattern. Scores follow Envoy's order: an exact name beats any suffix wildcard,
    /// which beats any prefix wildcard, which beats "*"; among wildcards the longer wins.
    /// </summary>
    private readonly struct DomainPattern(byte kind, byte[] text)
    {
        private const byte Exact = 0;
        private const byte Suffix = 1;
        private const byte Prefix = 2;
        private const byte Any = 3;

        public static DomainPattern Parse(string domain) => domain switch
        {
            "*" => new DomainPattern(Any, []),
            _ when domain.StartsWith("*.", StringComparison.Ordinal) => new DomainPattern(Suffix, Encoding.ASCII.GetBytes(domain[1..])),
            _ when domain.EndsWith(".*", StringComparison.Ordinal) => new DomainPattern(Prefix, Encoding.ASCII.GetBytes(domain[..^1])),
            _ => new DomainPattern(Exact, Encoding.ASCII.GetBytes(domain)),
        };

        public int Score(ReadOnlySpan<byte> host) => kind switch
        {
            Exact => Ascii.EqualsIgnoreCase(host, text) ? 3_000_000 : -1,
            Suffix => host.Length > text.Length && Ascii.EqualsIgnoreCase(host[^text.Length..], text) ? 2_000_000 + text.Length : -1,
            Prefix => host.Length > text.Length && Ascii.EqualsIgnoreCase(host[..text.Length], text) ? 1_000_000 + text.Length : -1,
            _ => 0,
        };
    }
}
