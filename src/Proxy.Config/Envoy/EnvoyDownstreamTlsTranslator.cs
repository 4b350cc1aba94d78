using MeshEdge.Config.Translation;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// A filter chain's <c>DownstreamTlsContext</c> into the listener's <c>tls</c> table: certificates,
/// the client CA and <c>require_client_certificate</c> (mTLS; with a validation context and no
/// requirement, a certificate is asked for and verified when sent, as Envoy does), SAN matchers,
/// ALPN, versions and ciphers; <c>disable_stateless_session_resumption</c> turns session tickets off.
/// </summary>
internal static class EnvoyDownstreamTlsTranslator
{
    public static void Translate(SourceTable context, TargetTable listener)
    {
        var tls = listener.Child("tls", context.Path, context.Position);
        context.Ignore("@type");
        var requireClient = context.Find("require_client_certificate") is Tree.ConfigScalar { Text: "true" or "True" };
        if (context.Child("common_tls_context") is not { } common)
        {
            context.Context.Refuse(context.PathOf("common_tls_context"), context.Position, "missing required key (a server needs a certificate)");
            context.Finish();
            return;
        }

        var certificates = tls.Array("certificates", common.PathOf("tls_certificates"));
        foreach (var certificate in EnvoyTlsCommon.Certificates(common))
        {
            EnvoyTlsCommon.Certificate(certificate, certificates.AddTable(certificate.Path, certificate.Position));
        }

        foreach (var secret in EnvoyTlsCommon.SdsCertificates(common))
        {
            certificates.AddTable(secret.Path, secret.At).Set("secret", secret.Name, secret.At, secret.Path);
        }

        if (certificates.Count == 0)
        {
            common.Context.Refuse(common.PathOf("tls_certificates"), common.Position, "a server needs a certificate; none is given");
        }

        var matches = EnvoyTlsCommon.Validation(common, tls, "client_ca");
        if (matches is not null)
        {
            tls.Set("client_certificate", requireClient ? "required" : "optional", context.PositionOf("require_client_certificate"), context.PathOf("require_client_certificate"));
            var list = matches.Count > 0 ? tls.Array("match_subject_alt_names", common.Path) : null;
            foreach (var match in matches)
            {
                foreach (var type in match.Type is { } one ? [one] : new[] { "dns", "uri" })
                {
                    var item = list!.AddTable(match.Path, match.At);
                    item.Set("san_type", type, match.At, match.Path);
                    item.Set(match.Prefix ? "prefix" : "exact", match.Value, match.At, match.Path);
                }
            }
        }
        else if (requireClient)
        {
            context.Context.Refuse(context.PathOf("require_client_certificate"), context.PositionOf("require_client_certificate"),
                "client certificates are required but there is no validation context to verify them against");
        }

        EnvoyTlsCommon.Alpn(common, tls);
        EnvoyTlsCommon.TlsParams(common, tls);
        common.Finish();
        context.Unsupported("require_sni", "a client without SNI gets the default certificate");
        context.Unsupported("session_ticket_keys", "session tickets use keys the process makes and rotates itself");
        context.Unsupported("session_ticket_keys_sds_secret_config", "session tickets use keys the process makes and rotates itself");
        if (context.Find("disable_stateless_session_resumption") is Tree.ConfigScalar { Text: "true" or "True" } noTickets)
        {
            // Envoy's stateless resumption is TLS session tickets: none are sent.
            tls.Set("session_tickets", new Tree.ConfigScalar(Tree.ScalarKind.Integer, "0", noTickets.Position), context.PathOf("disable_stateless_session_resumption"));
        }

        context.Ignore("disable_stateless_session_resumption", "disable_stateful_session_resumption", "session_timeout", "ocsp_staple_policy", "full_scan_certs_on_sni_mismatch", "prefer_client_ciphers");
        context.Finish();
    }
}
