using MeshEdge.Config.Translation;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// An Envoy <c>Secret</c> (a bootstrap's <c>static_resources.secrets</c>, or one the control plane
/// sends over SDS) into a <c>[[secrets]]</c> entry: a <c>tls_certificate</c> gives its chain and key,
/// a <c>validation_context</c> its trusted CA (Istio's <c>ROOTCA</c>). TLS contexts name it in
/// <c>tls_certificate_sds_secret_configs</c> and <c>validation_context_sds_secret_config</c>.
/// What a validation secret would check beyond its CA is refused (the secret would accept more).
/// </summary>
internal static class EnvoySecretTranslator
{
    public const string TypeName = EnvoyTlsCommon.TransportSocketTls + "Secret";

    public static void Translate(SourceTable secret, TargetArray secrets)
    {
        var target = secrets.AddTable(secret.Path, secret.Position);
        secret.Ignore("@type");
        if (secret.String("name") is { Length: > 0 } name)
        {
            target.Set("name", name, secret.PositionOf("name"), secret.PathOf("name"));
        }
        else
        {
            TranslatedEntries.RefuseMissing(secret, "name");
        }

        if (secret.Child("tls_certificate") is { } certificate)
        {
            EnvoyTlsCommon.Certificate(certificate, target);
        }
        else if (secret.Child("validation_context") is { } validation)
        {
            Validation(validation, target);
        }
        else
        {
            secret.Refuse("session_ticket_keys", "session ticket keys are made and rotated by the process itself; a secret of them is not supported");
            secret.Refuse("generic_secret", "generic secrets are not supported");
            if (!secret.Has("session_ticket_keys") && !secret.Has("generic_secret"))
            {
                secret.Context.Refuse(secret.Path, secret.Position, "expected tls_certificate or validation_context");
            }
        }

        secret.Finish();
    }

    private static void Validation(SourceTable validation, TargetTable target)
    {
        if (validation.Has("trusted_ca"))
        {
            EnvoyTlsCommon.DataSource(validation, "trusted_ca", target, "trusted_ca");
        }
        else
        {
            TranslatedEntries.RefuseMissing(validation, "trusted_ca");
        }

        foreach (var key in new[] { "match_typed_subject_alt_names", "match_subject_alt_names", "verify_certificate_spki", "verify_certificate_hash", "crl", "custom_validator_config" })
        {
            validation.Refuse(key, $"{key} in a validation secret is not checked (give it in the TLS context's default_validation_context); the secret is refused");
        }

        validation.Unsupported("allow_expired_certificate", "expired certificates are always rejected");
        validation.Ignore("watched_directory", "max_verify_depth", "trust_chain_verification", "only_verify_leaf_cert_crl");
        validation.Finish();
    }
}
