using System.Text.Json;
using MeshEdge.Config.Model;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Admin;

/// <summary>
/// /certs: each certificate by secret name, shaped after Envoy's (subject, SANs, serial_number,
/// valid_from, expiration_time, days_until_expiration), plus its source (<c>sds:NAME</c>, a file,
/// <c>inline</c>), its files, the listeners serving it, and the reload state: when the material in
/// use was loaded, and why the last reload failed; then the CA (validation) secrets likewise. Beside
/// them, how many listener and cluster OpenSSL contexts are alive (old generations go once their
/// connections close).
/// </summary>
internal static class CertsJson
{
    public static byte[] Write(TlsSecretRegistry? registry, ProxyConfig config) => JsonDocumentWriter.Write(json =>
    {
        var now = DateTimeOffset.UtcNow;
        json.WriteStartObject();
        json.WriteStartArray("certificates");
        foreach (var secret in registry?.Secrets ?? [])
        {
            var status = secret.Status;
            json.WriteStartObject();
            json.WriteString("name", secret.Name);
            json.WriteString("source", secret.Source);
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
        WriteCaCertificates(json, config, now);
        json.WriteNumber("live_server_contexts", TlsContextBuilder.LiveContexts);
        json.WriteNumber("live_client_contexts", TlsContextBuilder.LiveClientContexts);
        json.WriteEndObject();
    });

    /// <summary>
    /// The CA bundles peers are verified with: first the validation secrets (a CA bundle, Istio's
    /// <c>ROOTCA</c>) with who verifies with each (listeners their clients, clusters their servers),
    /// then each bundle a listener (<c>client_ca</c>) or cluster (<c>ca</c>) names directly, as
    /// <c>LISTENER.client_ca</c> and <c>CLUSTER.ca</c>, as Envoy lists every context's CA. Each with
    /// the bundle's first certificate, read from the config in effect on each request; a bundle that
    /// cannot be read now says why instead.
    /// </summary>
    private static void WriteCaCertificates(Utf8JsonWriter json, ProxyConfig config, DateTimeOffset now)
    {
        json.WriteStartArray("ca_certificates");
        foreach (var secret in config.Secrets)
        {
            if (secret.TrustedCa is { } ca)
            {
                WriteCa(
                    json, secret.Name, TlsSecret.SourceOf(secret.Name, ca, secret.FromControlPlane), ca,
                    config.Listeners.Where(l => l.Tls?.ClientCaSecret == secret.Name).Select(l => l.Name),
                    config.Clusters.Where(c => c.Tls?.CaSecret == secret.Name).Select(c => c.Name),
                    now);
            }
        }

        foreach (var listener in config.Listeners)
        {
            if (listener.Tls is { ClientCa: { } ca, ClientCaSecret: null })
            {
                WriteCa(json, listener.Name + ".client_ca", ca.Describe, ca, [listener.Name], [], now);
            }
        }

        foreach (var cluster in config.Clusters)
        {
            if (cluster.Tls is { Ca: { } ca, CaSecret: null })
            {
                WriteCa(json, cluster.Name + ".ca", ca.Describe, ca, [], [cluster.Name], now);
            }
        }

        json.WriteEndArray();
    }

    private static void WriteCa(
        Utf8JsonWriter json, string name, string source, PemSource ca, IEnumerable<string> listeners, IEnumerable<string> clusters, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("source", source);
        json.WriteString("trusted_ca", ca.Describe);
        json.WriteStartArray("listeners");
        foreach (var listener in listeners)
        {
            json.WriteStringValue(listener);
        }

        json.WriteEndArray();
        json.WriteStartArray("clusters");
        foreach (var cluster in clusters)
        {
            json.WriteStringValue(cluster);
        }

        json.WriteEndArray();
        try
        {
            if (X509LeafReader.Read(ca.Pem ?? File.ReadAllText(ca.Path!)) is { } first)
            {
                WriteCertificate(json, first, now);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not the exception's message: UseSystemResourceKeys leaves .NET's own messages as keys.
            json.WriteString("last_error", $"cannot read {ca.Path}");
        }

        json.WriteEndObject();
    }

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
