using System.Text.Json;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Admin;

/// <summary>
/// /certs: each certificate by secret name, shaped after Envoy's (subject, SANs, serial_number,
/// valid_from, expiration_time, days_until_expiration), plus its files, the listeners serving it,
/// and the reload state: when the material in use was loaded, and why the last reload failed. Beside
/// them, how many listener and cluster OpenSSL contexts are alive (old generations go once their
/// connections close).
/// </summary>
internal static class CertsJson
{
    public static byte[] Write(TlsSecretRegistry? registry) => JsonDocumentWriter.Write(json =>
    {
        var now = DateTimeOffset.UtcNow;
        json.WriteStartObject();
        json.WriteStartArray("certificates");
        foreach (var secret in registry?.Secrets ?? [])
        {
            var status = secret.Status;
            json.WriteStartObject();
            json.WriteString("name", secret.Name);
            json.WriteString("certificate_chain", secret.CertificateChain.Describe);
            json.WriteString("private_key", secret.PrivateKey.Describe);
            json.WriteStartArray("listeners");
            foreach (var name in secret.Users.Select(u => u.Name).Distinct())
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            if (status.Certificate is { } certificate)
            {
                WriteCertificate(json, certificate, now);
            }

            json.WriteString("loaded_at", status.LoadedAt.ToString("O"));
            json.WriteNumber("reloads", status.Reloads);
            json.WriteNumber("reload_failures", status.ReloadFailures);
            json.WriteString("last_error", status.LastError);
            if (status.LastErrorAt is { } at)
            {
                json.WriteString("last_error_at", at.ToString("O"));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("live_server_contexts", TlsContextBuilder.LiveContexts);
        json.WriteNumber("live_client_contexts", TlsContextBuilder.LiveClientContexts);
        json.WriteEndObject();
    });

    private static void WriteCertificate(Utf8JsonWriter json, CertificateSummary certificate, DateTimeOffset now)
    {
        json.WriteString("subject", certificate.Subject);
        json.WriteString("issuer", certificate.Issuer);
        json.WriteString("serial_number", certificate.SerialNumber);
        json.WriteStartArray("subject_alt_names");
        foreach (var (kind, value) in certificate.SubjectAltNames)
        {
            json.WriteStartObject();
            json.WriteString(kind, value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("valid_from", certificate.NotBefore.ToString("O"));
        json.WriteString("expiration_time", certificate.NotAfter.ToString("O"));
        json.WriteNumber("days_until_expiration", certificate.DaysLeft(now));
        json.WriteString("status", certificate.Status(now));
    }
}
