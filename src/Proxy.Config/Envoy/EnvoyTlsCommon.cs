using System.Text;
using MeshEdge.Config.Binding;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// The parts of Envoy's <c>CommonTlsContext</c> that a downstream and an upstream TLS context share:
/// data sources (a file, or inline PEM held in memory), <c>tls_params</c>, <c>alpn_protocols</c> and
/// the validation context's trusted CA and SAN matchers. What would weaken TLS if left out refuses
/// the config; what only narrows it is reported.
/// </summary>
internal static class EnvoyTlsCommon
{
    public const string TransportSocketTls = "envoy.extensions.transport_sockets.tls.v3.";
    public const string DownstreamTlsContext = TransportSocketTls + "DownstreamTlsContext";
    public const string UpstreamTlsContext = TransportSocketTls + "UpstreamTlsContext";

    /// <summary>One SAN condition: <c>Type</c> "dns" or "uri" (null: either, the deprecated untyped form), exact or prefix.</summary>
    public readonly record struct SanMatch(string? Type, bool Prefix, string Value, string Path, SourcePosition At);

    /// <summary>
    /// An Envoy <c>DataSource</c> (<c>filename</c>, <c>inline_string</c>, <c>inline_bytes</c>) into
    /// <paramref name="key"/> (a file) or <paramref name="key"/>_pem (the PEM itself); false, refused, when it has neither.
    /// </summary>
    public static bool DataSource(SourceTable parent, string sourceKey, TargetTable target, string key)
    {
        if (parent.Child(sourceKey) is not { } source)
        {
            TranslatedEntries.RefuseMissing(parent, sourceKey);
            return false;
        }

        var ok = true;
        if (source.String("filename") is { } file)
        {
            target.Set(key, file, source.PositionOf("filename"), source.PathOf("filename"));
        }
        else if (source.String("inline_string") is { } text)
        {
            target.Set(key + PemKeys.InlineSuffix, text, source.PositionOf("inline_string"), source.PathOf("inline_string"));
        }
        else if (source.String("inline_bytes") is { } base64)
        {
            // Protobuf's JSON form of bytes is base64; the bytes are the PEM text.
            var bytes = new byte[base64.Length];
            if (Convert.TryFromBase64String(base64, bytes, out var length))
            {
                target.Set(key + PemKeys.InlineSuffix, Encoding.UTF8.GetString(bytes, 0, length), source.PositionOf("inline_bytes"), source.PathOf("inline_bytes"));
            }
            else
            {
                source.Context.Refuse(source.PathOf("inline_bytes"), source.PositionOf("inline_bytes"), "not base64 (protobuf's JSON form of bytes)");
                ok = false;
            }
        }
        else
        {
            source.Refuse("environment_variable", "certificates from environment variables are not supported; give filename or inline_string");
            if (!source.Has("environment_variable"))
            {
                source.Context.Refuse(source.Path, source.Position, "expected filename, inline_string or inline_bytes");
            }

            ok = false;
        }

        if (!source.Has("filename"))
        {
            // The process names the material by the key without _pem when it does not load (not a PEM chain, a key that does not match).
            target.MapPath(key, source.Path);
        }

        source.Ignore("watched_directory");
        source.Finish();
        return ok;
    }

    /// <summary><c>tls_params</c>: versions (TLS 1.2 and 1.3; an older minimum is raised and reported) and the TLS 1.2 cipher list.</summary>
    public static void TlsParams(SourceTable common, TargetTable target)
    {
        if (common.Child("tls_params") is not { } parameters)
        {
            return;
        }

        Version(parameters, "tls_minimum_protocol_version", target, "min_version", minimum: true);
        Version(parameters, "tls_maximum_protocol_version", target, "max_version", minimum: false);
        if (parameters.Find("cipher_suites") is ConfigArray suites)
        {
            // BoringSSL's equal-preference groups "[A|B]" become plain order: OpenSSL has none.
            var names = suites.Items.OfType<ConfigScalar>().SelectMany(s => s.Text.Trim('[', ']').Split('|')).Where(n => n.Length > 0);
            target.Set("ciphers", string.Join(':', names), suites.Position, parameters.PathOf("cipher_suites"));
        }

        parameters.Unsupported("ecdh_curves", "the key exchange groups are OpenSSL's defaults (X25519, P-256, ...)");
        parameters.Unsupported("signature_algorithms", "the signature algorithms are OpenSSL's defaults");
        parameters.Unsupported("compliance_policies", "compliance policies are not supported");
        parameters.Finish();
    }

    private static void Version(SourceTable parameters, string sourceKey, TargetTable target, string key, bool minimum)
    {
        var text = parameters.String(sourceKey);
        switch (text)
        {
            case null or "TLS_AUTO":
                return;
            case "TLSv1_2":
                target.Set(key, "1.2", parameters.PositionOf(sourceKey), parameters.PathOf(sourceKey));
                return;
            case "TLSv1_3":
                target.Set(key, "1.3", parameters.PositionOf(sourceKey), parameters.PathOf(sourceKey));
                return;
            case "TLSv1_0" or "TLSv1_1" when minimum:
                parameters.Context.Unsupported(parameters.PathOf(sourceKey), parameters.PositionOf(sourceKey), $"{text} is not offered; the minimum is TLS 1.2");
                return;
            default:
                parameters.Context.Refuse(parameters.PathOf(sourceKey), parameters.PositionOf(sourceKey),
                    $"{text} is not a maximum MeshEdge can keep (TLSv1_2, TLSv1_3 or TLS_AUTO); the TLS context is refused");
                return;
        }
    }

    /// <summary><c>alpn_protocols</c> into <c>alpn</c>.</summary>
    public static void Alpn(SourceTable common, TargetTable target) => target.Copy("alpn", common, "alpn_protocols");

    /// <summary>
    /// The validation context (<c>validation_context</c>, or <c>combined_validation_context</c>'s
    /// default part): its trusted CA into <paramref name="caKey"/>, and its SAN matchers. A validation
    /// context from SDS (<c>validation_context_sds_secret_config</c>, alone or as the combined
    /// context's dynamic part, Istio's <c>ROOTCA</c>) names the secret that holds the trusted CA
    /// (<paramref name="caKey"/>_secret). Every check that would be skipped (certificate hashes, SPKI
    /// pins, CRLs, custom validators) is refused. Null when the context has none.
    /// </summary>
    public static List<SanMatch>? Validation(SourceTable common, TargetTable target, string caKey)
    {
        var validation = common.Child("validation_context");
        var sds = SdsName(common, "validation_context_sds_secret_config");
        if (common.Child("combined_validation_context") is { } combined)
        {
            sds ??= SdsName(combined, "validation_context_sds_secret_config");
            validation ??= combined.Child("default_validation_context");
            combined.Ignore("default_validation_context");
            combined.Finish();
        }

        if (sds is { } secret)
        {
            target.Set(caKey + "_secret", secret.Name, secret.At, secret.Path);
            if (validation?.Has("trusted_ca") == true)
            {
                validation.Context.Refuse(validation.PathOf("trusted_ca"), validation.PositionOf("trusted_ca"),
                    "a trusted CA is given here and by SDS; give one of the two");
            }
        }

        if (validation is null)
        {
            return sds is null ? null : [];
        }

        var matches = new List<SanMatch>();
        if (validation.Has("trusted_ca"))
        {
            DataSource(validation, "trusted_ca", target, caKey);
        }

        foreach (var typed in validation.Children("match_typed_subject_alt_names"))
        {
            var type = typed.String("san_type") switch
            {
                "DNS" => "dns",
                "URI" => "uri",
                var other => Refused(typed, "san_type", $"SAN type {other ?? "(none)"} is not matched (DNS and URI are); the TLS context is refused"),
            };
            if (typed.Child("matcher") is { } matcher && type is not null)
            {
                Matcher(matcher, type, matches);
            }
            else if (type is not null)
            {
                TranslatedEntries.RefuseMissing(typed, "matcher");
            }

            typed.Ignore("oid");
            typed.Finish();
        }

        foreach (var untyped in validation.Children("match_subject_alt_names"))
        {
            Matcher(untyped, null, matches);
        }

        foreach (var key in new[] { "verify_certificate_spki", "verify_certificate_hash", "crl", "custom_validator_config", "match_subject_alt_names_with_regex" })
        {
            validation.Refuse(key, $"{key} is not checked; leaving it out would accept certificates it rejects, so the TLS context is refused");
        }

        validation.Unsupported("allow_expired_certificate", "expired certificates are always rejected");
        validation.Unsupported("trust_chain_verification", "the chain is always verified");
        validation.Unsupported("only_verify_leaf_cert_crl", "CRLs are not checked");
        validation.Ignore("watched_directory", "max_verify_depth");
        validation.Finish();
        return matches;
    }

    /// <summary>A <c>StringMatcher</c> of exact or prefix; anything else refuses (a narrower or wider match would change who gets in).</summary>
    private static void Matcher(SourceTable matcher, string? type, List<SanMatch> matches)
    {
        if (matcher.Find("ignore_case") is ConfigScalar { Text: "true" or "True" } && type != "dns")
        {
            matcher.Context.Unsupported(matcher.PathOf("ignore_case"), matcher.PositionOf("ignore_case"), "URI SANs are compared exactly (DNS names ignore case)");
        }

        if (matcher.String("exact") is { } exact)
        {
            matches.Add(new SanMatch(type, false, exact, matcher.PathOf("exact"), matcher.PositionOf("exact")));
        }
        else if (matcher.String("prefix") is { } prefix)
        {
            matches.Add(new SanMatch(type, true, prefix, matcher.PathOf("prefix"), matcher.PositionOf("prefix")));
        }
        else
        {
            matcher.Context.Refuse(matcher.Path, matcher.Position, "only exact and prefix SAN matchers are supported; the TLS context is refused");
            matcher.TakeAll();
        }

        matcher.Finish();
    }

    private static string? Refused(SourceTable table, string key, string reason)
    {
        table.Context.Refuse(table.PathOf(key), table.PositionOf(key), reason);
        return null;
    }

    /// <summary>An SDS secret reference (<c>SdsSecretConfig</c>): its name, where it was given.</summary>
    public readonly record struct SdsReference(string Name, string Path, SourcePosition At);

    /// <summary>
    /// The names in <c>tls_certificate_sds_secret_configs</c>: certificates that come as secrets, from
    /// the bootstrap's static secrets or the control plane (over ADS, whatever <c>sds_config</c> says).
    /// </summary>
    public static List<SdsReference> SdsCertificates(SourceTable common)
    {
        var names = new List<SdsReference>();
        foreach (var config in common.Children("tls_certificate_sds_secret_configs"))
        {
            if (Reference(config) is { } reference)
            {
                names.Add(reference);
            }
        }

        return names;
    }

    private static SdsReference? SdsName(SourceTable parent, string key) => parent.Child(key) is { } config ? Reference(config) : null;

    private static SdsReference? Reference(SourceTable config)
    {
        var name = config.String("name");
        config.Ignore("sds_config");
        config.Finish();
        if (string.IsNullOrEmpty(name))
        {
            TranslatedEntries.RefuseMissing(config, "name");
            return null;
        }

        return new SdsReference(name, config.PathOf("name"), config.PositionOf("name"));
    }

    /// <summary>The certificates of <c>tls_certificates</c> (those from SDS: <see cref="SdsCertificates"/>).</summary>
    public static List<SourceTable> Certificates(SourceTable common)
    {
        common.Refuse("tls_certificate_provider_instance", "certificate provider instances are not supported; the TLS context is refused");
        common.Refuse("validation_context_certificate_provider_instance", "certificate provider instances are not supported; the TLS context is refused");
        common.Unsupported("key_log", "TLS key logging is not supported");
        common.Unsupported("custom_handshaker", "custom handshakers are not supported");
        return [.. common.Children("tls_certificates")];
    }

    /// <summary>A certificate's chain and key into <paramref name="target"/>; what it carries besides is reported or refused.</summary>
    public static bool Certificate(SourceTable certificate, TargetTable target)
    {
        var ok = DataSource(certificate, "certificate_chain", target, "certificate_chain")
            & DataSource(certificate, "private_key", target, "private_key");
        certificate.Refuse("password", "encrypted private keys are not supported; the TLS context is refused");
        certificate.Refuse("private_key_provider", "private key providers are not supported; the TLS context is refused");
        certificate.Unsupported("ocsp_staple", "OCSP stapling is not supported");
        certificate.Unsupported("signed_certificate_timestamp", "SCTs are not sent");
        certificate.Ignore("watched_directory");
        certificate.Finish();
        return ok;
    }
}
