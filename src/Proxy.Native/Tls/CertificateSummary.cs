using System.Collections.Immutable;

namespace MeshEdge.Native.Tls;

/// <summary>What /certs and the logs say about a leaf certificate.</summary>
/// <param name="SubjectAltNames">Each as its kind and value: ("dns", "a.example"), ("uri", "spiffe://..."), ("ip", "10.0.0.1"), ("email", ...).</param>
/// <param name="SerialNumber">Lower-case hex, as Envoy's /certs shows it.</param>
internal sealed record CertificateSummary(
    string Subject,
    string Issuer,
    string SerialNumber,
    ImmutableArray<(string Kind, string Value)> SubjectAltNames,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter)
{
    /// <summary>Within this of its end a certificate is shown as expiring (Let's Encrypt's clients renew at 30 days).</summary>
    public static readonly TimeSpan ExpiringWithin = TimeSpan.FromDays(30);

    /// <summary>Whole days left, as Envoy's days_until_expiration, and whole days past once expired (negative).</summary>
    public long DaysLeft(DateTimeOffset now) => (long)(NotAfter - now).TotalDays;

    /// <summary>"valid", "expiring" (within <see cref="ExpiringWithin"/>), "expired" or "not_yet_valid".</summary>
    public string Status(DateTimeOffset now) =>
        now >= NotAfter ? "expired" : now < NotBefore ? "not_yet_valid" : NotAfter - now <= ExpiringWithin ? "expiring" : "valid";
}
