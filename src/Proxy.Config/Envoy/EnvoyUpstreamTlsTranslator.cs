using MeshEdge.Config.Translation;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// A cluster's <c>UpstreamTlsContext</c> into its <c>tls</c> table: SNI, the CA and exact SANs the
/// server must present, the client certificate (mesh mTLS), ALPN, versions and ciphers. Without a
/// validation context Envoy does not verify the server, and neither does the translation
/// (<c>verify = false</c>, reported); SAN prefixes are refused, as a cluster matches exact names only.
/// </summary>
internal static class EnvoyUpstreamTlsTranslator
{
    public static void Translate(SourceTable context, TargetTable cluster)
    {
        var tls = cluster.Child("tls", context.Path, context.Position);
        context.Ignore("@type");
        if (context.String("sni") is { Length: > 0 } sni)
        {
            tls.Set("sni", sni, context.PositionOf("sni"), context.PathOf("sni"));
        }

        if (context.Child("common_tls_context") is { } common)
        {
            var certificates = EnvoyTlsCommon.Certificates(common);
            var fromSds = EnvoyTlsCommon.SdsCertificates(common);
            for (var i = 0; i < fromSds.Count; i++)
            {
                if (i == 0 && certificates.Count == 0)
                {
                    tls.Set("certificate_secret", fromSds[i].Name, fromSds[i].At, fromSds[i].Path);
                }
                else
                {
                    common.Context.Unsupported(fromSds[i].Path, fromSds[i].At, "a client presents one certificate; this one is left out");
                }
            }

            for (var i = 0; i < certificates.Count; i++)
            {
                if (i == 0)
                {
                    EnvoyTlsCommon.Certificate(certificates[i], tls);
                }
                else
                {
                    common.Context.Unsupported(certificates[i].Path, certificates[i].Position, "a client presents one certificate; this one is left out");
                    certificates[i].TakeAll();
                }
            }

            var matches = EnvoyTlsCommon.Validation(common, tls, "ca");
            if (matches is null)
            {
                NotVerified(context, common.Path, tls);
            }
            else if (matches.Count > 0)
            {
                var names = tls.Array("subject_alt_names", common.Path);
                foreach (var match in matches)
                {
                    if (match.Prefix)
                    {
                        common.Context.Refuse(match.Path, match.At, "a cluster matches the server's SANs exactly; a prefix cannot be honoured, so the TLS context is refused");
                        continue;
                    }

                    names.Add(new Tree.ConfigScalar(Tree.ScalarKind.String, match.Value, match.At), match.Path);
                }
            }

            EnvoyTlsCommon.Alpn(common, tls);
            EnvoyTlsCommon.TlsParams(common, tls);
            common.Finish();
        }
        else
        {
            NotVerified(context, context.Path, tls);
        }

        context.Unsupported("allow_renegotiation", "renegotiation is never allowed");
        context.Ignore("max_session_keys", "enforce_rsa_key_usage", "auto_host_sni", "auto_sni_san_validation");
        context.Finish();
    }

    private static void NotVerified(SourceTable context, string path, TargetTable tls)
    {
        tls.Set("verify", new Tree.ConfigScalar(Tree.ScalarKind.Boolean, "false", context.Position), path);
        context.Context.Unsupported(path, context.Position,
            "no validation_context: the server is not verified (as in Envoy); give trusted_ca to verify it");
    }
}
