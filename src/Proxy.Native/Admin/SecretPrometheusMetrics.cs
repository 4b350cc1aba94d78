using MeshEdge.Native.Tls;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>The certificates' part of /metrics, by secret: time to expiry, reloads and failed reloads.</summary>
internal sealed class SecretPrometheusMetrics(MetricFactory factory)
{
    private readonly Gauge _expiry = factory.CreateGauge("meshedge_tls_certificate_expiry_seconds",
        "Seconds until the certificate in use expires (negative once it has).", "secret");

    private readonly Counter _reloads = factory.CreateCounter("meshedge_tls_secret_reloads_total", "Certificate reloads taken after their files changed.", "secret");

    private readonly Counter _failures = factory.CreateCounter("meshedge_tls_secret_reload_failures_total",
        "Certificate reloads refused (unreadable, unparsable, key not matching): the material in use stayed.", "secret");

    public void Update(TlsSecretRegistry? registry)
    {
        if (registry is null)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        foreach (var secret in registry.Secrets)
        {
            var status = secret.Status;
            if (status.Certificate is { } certificate)
            {
                _expiry.WithLabels(secret.Name).Set(Math.Floor((certificate.NotAfter - now).TotalSeconds));
            }

            _reloads.WithLabels(secret.Name).IncTo(status.Reloads);
            _failures.WithLabels(secret.Name).IncTo(status.ReloadFailures);
        }
    }
}
