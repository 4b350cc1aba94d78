using System.Collections.Immutable;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>
/// Binds a cluster's <c>tls</c> table (TLS origination). The files are loaded and checked by the
/// executable, which owns the TLS library, like a listener's certificates.
/// </summary>
internal static class UpstreamTlsBinder
{
    public static UpstreamTlsConfig? BindOptional(TableReader cluster)
    {
        if (cluster.OptionalTableReader(TlsBinder.Key) is not { } reader)
        {
            return null;
        }

        var sni = reader.OptionalString("sni");
        if (sni is not null && !IsDnsName(sni))
        {
            reader.Errors.Add(reader.ChildPath("sni"), reader.Table.PositionOf("sni"), $"{ConfigScalar.Quote(sni)} is not a server name (a DNS name)");
        }

        var ca = PemKeys.Optional(reader, "ca");
        var caSecret = SecretBinder.OptionalReference(reader, "ca");
        var certificateSecret = reader.OptionalString("certificate" + SecretBinder.ReferenceSuffix);
        var verify = reader.Bool("verify", true);
        var names = reader.StringArray("subject_alt_names") ?? [];
        for (var i = 0; i < names.Count; i++)
        {
            if (!(UpstreamTlsConfig.IsUriName(names[i]) ? IsUri(names[i]) : IsDnsName(names[i])))
            {
                reader.Errors.Add(KeyPath.Index(reader.ChildPath("subject_alt_names"), i), reader.Table.PositionOf("subject_alt_names"),
                    $"{ConfigScalar.Quote(names[i])} is neither a DNS name nor a URI (such as \"spiffe://domain/ns/N/sa/S\")");
            }
        }

        if (!verify && (ca is not null || caSecret is not null || names.Count > 0))
        {
            var key = ca is not null ? PemKeys.SetKey(reader, "ca") : caSecret is not null ? "ca" + SecretBinder.ReferenceSuffix : "subject_alt_names";
            reader.Errors.Add(reader.ChildPath(key), reader.Table.PositionOf(key), "is checked only when the server is verified: remove it or verify = false");
        }

        var chain = PemKeys.Optional(reader, "certificate_chain");
        var privateKey = PemKeys.Optional(reader, "private_key");
        if (PemKeys.Has(reader, "certificate_chain") != PemKeys.Has(reader, "private_key"))
        {
            var missing = PemKeys.Has(reader, "certificate_chain") ? "private_key" : "certificate_chain";
            reader.Errors.Add(reader.ChildPath(missing), reader.Table.Position, "missing required key (a client certificate needs certificate_chain and private_key)");
        }

        if (certificateSecret is not null && (PemKeys.Has(reader, "certificate_chain") || PemKeys.Has(reader, "private_key")))
        {
            reader.Errors.Add(reader.ChildPath("certificate" + SecretBinder.ReferenceSuffix), reader.Table.PositionOf("certificate" + SecretBinder.ReferenceSuffix),
                "give either certificate_secret or certificate_chain and private_key, not both");
        }

        var alpn = TlsCommonKeys.BindAlpn(reader, []);
        var (minVersion, maxVersion) = TlsCommonKeys.BindVersions(reader);
        var (ciphers, suites) = TlsCommonKeys.BindCiphers(reader);
        reader.ReportUnknownKeys();
        return new UpstreamTlsConfig(sni, ca, verify, [.. names.Select(n => UpstreamTlsConfig.IsUriName(n) ? n : n.ToLowerInvariant())],
            chain, privateKey, alpn, minVersion, maxVersion, ciphers, suites, reader.Path)
        {
            CaSecret = caSecret,
            CertificateSecret = certificateSecret,
        };
    }

    /// <summary>A host name: dot-separated labels of letters, digits, '-' and '_' (no wildcard: the name is sent or matched as is).</summary>
    private static bool IsDnsName(string name) =>
        name.Length is > 0 and <= 253 && name.Split('.').All(label => label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));

    /// <summary>scheme://rest with a letter-first scheme and no whitespace (a SPIFFE ID is spiffe://trust-domain/path).</summary>
    private static bool IsUri(string name)
    {
        var colon = name.IndexOf("://", StringComparison.Ordinal);
        return colon > 0 && char.IsAsciiLetter(name[0]) && name[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')
            && name.Length > colon + 3 && !name.AsSpan().ContainsAny(" \t\r\n");
    }
}
