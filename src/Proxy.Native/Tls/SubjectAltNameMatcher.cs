using System.Text;
using MeshEdge.Config.Model;
using static MeshEdge.Native.Tls.Interop.X509Constants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// A compiled SAN condition (exact or prefix, DNS or URI) over bytes: DNS names compare without regard
/// to ASCII case, URIs (SPIFFE ids) exactly. Used by the client-certificate check and by route matches.
/// </summary>
internal sealed class SubjectAltNameMatcher(SubjectAltNameMatch config)
{
    private readonly byte[] _value = Encoding.UTF8.GetBytes(config.Value);

    /// <summary>The OpenSSL GENERAL_NAME type this condition reads (GEN_DNS or GEN_URI).</summary>
    public int GeneralNameType { get; } = config.Type == SubjectAltNameType.Dns ? GEN_DNS : GEN_URI;

    public bool Matches(ReadOnlySpan<byte> san)
    {
        if (san.Length < _value.Length || (!config.Prefix && san.Length != _value.Length))
        {
            return false;
        }

        var head = san[.._value.Length];
        return GeneralNameType == GEN_DNS ? Ascii.EqualsIgnoreCase(head, _value) : head.SequenceEqual(_value);
    }

    /// <summary>Whether any of <paramref name="sans"/> matches.</summary>
    public bool MatchesAny(byte[][] sans)
    {
        foreach (var san in sans)
        {
            if (Matches(san))
            {
                return true;
            }
        }

        return false;
    }
}
