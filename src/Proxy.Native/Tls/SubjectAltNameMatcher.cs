using System.Text;
using MeshEdge.Config.Model;
using static MeshEdge.Native.Tls.Interop.X509Constants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// A compiled SAN condition (exact or prefix, DNS or URI) over bytes: DNS names compare without regard
/// to ASCII case, URIs (SPIFFE ids) exactly. Used by the client-certificate check, by route matches
/// and, made with <see cref="ForServerName"/>, by the upstream check of a server's certificate.
/// </summary>
internal sealed class SubjectAltNameMatcher(SubjectAltNameMatch config)
{
    private readonly byte[] _value = Encoding.UTF8.GetBytes(config.Value);

    /// <summary>Whether a certificate's "*.rest" DNS name covers a value of one more label (a server's certificate, RFC 6125).</summary>
    private bool _certificateWildcards;

    /// <summary>The OpenSSL GENERAL_NAME type this condition reads (GEN_DNS or GEN_URI).</summary>
    public int GeneralNameType { get; } = config.Type == SubjectAltNameType.Dns ? GEN_DNS : GEN_URI;

    /// <summary>
    /// What an upstream server's certificate must name: <paramref name="name"/> exactly, as a URI
    /// when it has a scheme (a SPIFFE id), else as a DNS name, which the certificate's one-label
    /// "*." wildcard also covers.
    /// </summary>
    public static SubjectAltNameMatcher ForServerName(string name) =>
        UpstreamTlsConfig.IsUriName(name)
            ? new(new SubjectAltNameMatch(SubjectAltNameType.Uri, false, name))
            : new(new SubjectAltNameMatch(SubjectAltNameType.Dns, false, name)) { _certificateWildcards = true };

    public bool Matches(ReadOnlySpan<byte> san)
    {
        if (_certificateWildcards && san.Length >= 3 && san[0] == '*' && san[1] == '.')
        {
            // "*.rest" stands for one whole label before ".rest": the value's first label.
            var dot = _value.AsSpan().IndexOf((byte)'.');
            return dot > 0 && Ascii.EqualsIgnoreCase(san[1..], _value.AsSpan(dot));
        }

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
