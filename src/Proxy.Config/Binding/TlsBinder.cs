using System.Collections.Immutable;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>
/// Binds a listener's <c>tls</c> table: certificates (chain and key files, SNI names), versions,
/// ciphers, ALPN and the handshake timeout. The files themselves are loaded (and checked: readable,
/// PEM, key matching its certificate) by the executable, which owns the TLS library.
/// </summary>
internal static class TlsBinder
{
    public const string Key = "tls";

    private static readonly (string Name, TlsClientCertificate Value)[] ClientCertificateModes =
        [("none", TlsClientCertificate.None), ("optional", TlsClientCertificate.Optional), ("required", TlsClientCertificate.Required)];

    public static TlsConfig? BindOptional(TableReader listener, ListenerProtocol protocol)
    {
        if (listener.OptionalTableReader(Key) is not { } reader)
        {
            return null;
        }

        if (protocol is not (ListenerProtocol.Http or ListenerProtocol.Bolt))
        {
            listener.Errors.Add(listener.ChildPath(Key), listener.Table.PositionOf(Key), "TLS is terminated on \"http\" and \"bolt\" listeners only (for now)");
        }

        var certificates = ImmutableArray.CreateBuilder<TlsCertificateConfig>();
        foreach (var certificate in reader.TableArray("certificates"))
        {
            certificates.Add(BindCertificate(certificate));
        }

        if (certificates.Count == 0 && !reader.Errors.HasErrorsUnder(reader.ChildPath("certificates")))
        {
            reader.Errors.Add(reader.ChildPath("certificates"), reader.Table.Position, "at least one certificate is required");
        }

        var (minVersion, maxVersion) = TlsCommonKeys.BindVersions(reader);
        var (ciphers, suites) = TlsCommonKeys.BindCiphers(reader);
        // An HTTP listener serves h2 as well as HTTP/1.1, so it offers both (h2 first, as Envoy and nginx do).
        var alpn = TlsCommonKeys.BindAlpn(reader, protocol == ListenerProtocol.Http ? ["h2", "http/1.1"] : ["http/1.1"]);

        var timeout = reader.Duration("handshake_timeout", ConfigDefaults.TlsHandshakeTimeout, allowZero: false);
        var clientCertificate = reader.Choice("client_certificate", TlsClientCertificate.None, "client_certificate mode", ClientCertificateModes);
        var clientCa = PemKeys.Optional(reader, "client_ca");
        var clientCaSecret = SecretBinder.OptionalReference(reader, "client_ca");
        if (clientCertificate != TlsClientCertificate.None && clientCa is null && clientCaSecret is null)
        {
            reader.Errors.Add(reader.ChildPath("client_ca"), reader.Table.Position, "missing required key (client certificates are verified against it)");
        }
        else if (clientCertificate == TlsClientCertificate.None && (clientCa is not null || clientCaSecret is not null))
        {
            var caKey = clientCa is not null ? PemKeys.SetKey(reader, "client_ca") : "client_ca" + SecretBinder.ReferenceSuffix;
            reader.Errors.Add(reader.ChildPath(caKey), reader.Table.PositionOf(caKey), "set client_certificate = \"optional\" or \"required\" to use it");
        }

        var sanMatches = SubjectAltNameBinder.BindList(reader, "match_subject_alt_names");
        if (!sanMatches.IsEmpty && clientCertificate == TlsClientCertificate.None)
        {
            reader.Errors.Add(reader.ChildPath("match_subject_alt_names"), reader.Table.PositionOf("match_subject_alt_names"),
                "set client_certificate = \"optional\" or \"required\" to use it");
        }

        var sessionTickets = reader.Int("session_tickets", TlsConfig.DefaultSessionTickets, 0, TlsConfig.MaxSessionTickets);
        var preferServerCiphers = reader.Bool("prefer_server_ciphers", true);
        reader.ReportUnknownKeys();
        return new TlsConfig(certificates.ToImmutable(), minVersion, maxVersion, ciphers, suites, alpn, timeout)
        {
            SessionTickets = sessionTickets,
            PreferServerCiphers = preferServerCiphers,
            ClientCertificate = clientCertificate,
            ClientCa = clientCa,
            ClientCaSecret = clientCaSecret,
            MatchSubjectAltNames = sanMatches,
        };
    }

    private static TlsCertificateConfig BindCertificate(TableReader reader)
    {
        // A [[secrets]] entry by name, or the files inline; the secret's files are filled in by SecretBinder.Resolve.
        var secret = reader.OptionalString(SecretBinder.ReferenceKey);
        var chain = secret is null ? PemKeys.Required(reader, "certificate_chain") ?? PemSource.Unset : PemSource.Unset;
        var key = secret is null ? PemKeys.Required(reader, "private_key") ?? PemSource.Unset : PemSource.Unset;
        SecretBinder.RejectFilesBesideReference(reader, secret);
        var names = reader.StringArray("server_names") ?? [];
        for (var i = 0; i < names.Count; i++)
        {
            if (!IsServerName(names[i]))
            {
                reader.Errors.Add(KeyPath.Index(reader.ChildPath("server_names"), i), reader.Table.PositionOf("server_names"),
                    $"{ConfigScalar.Quote(names[i])} is not a server name (a host name, or \"*.suffix\")");
            }
        }

        reader.ReportUnknownKeys();
        return new TlsCertificateConfig(chain, key, [.. names.Select(n => n.ToLowerInvariant())], reader.Path) { SecretName = secret ?? "" };
    }

    private static bool IsServerName(string name)
    {
        var core = name.StartsWith("*.", StringComparison.Ordinal) ? name[2..] : name;
        return core.Length > 0 && !core.StartsWith('.') && !core.AsSpan().ContainsAny(" \t/\\@?#*:");
    }
}
