using System.Text;

namespace MeshEdge.Native.Http.Routing;

/// <summary>
/// One domain pattern of a virtual host or an SNI route. Scores follow Envoy's order: an exact name beats any suffix wildcard,
/// which beats any prefix wildcard, which beats "*"; among wildcards the longer wins.
/// </summary>
internal readonly struct DomainPattern(byte kind, byte[] text)
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
