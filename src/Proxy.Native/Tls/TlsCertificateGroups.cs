using MeshEdge.Config.Model;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Several chains for one name: certificates that list the same server names (in any order) form a
/// group served by one OpenSSL context, which then holds one certificate per key type (ECDSA, RSA)
/// and lets OpenSSL pick the one the client's offer (signature algorithms, TLS 1.2 cipher suites)
/// allows. The group of the first certificate is the default.
/// </summary>
internal static class TlsCertificateGroups
{
    /// <summary>The groups in order of their first certificate.</summary>
    public static List<List<TlsCertificateConfig>> Of(IEnumerable<TlsCertificateConfig> certificates)
    {
        var groups = new List<List<TlsCertificateConfig>>();
        var byNames = new Dictionary<string, List<TlsCertificateConfig>>(StringComparer.Ordinal);
        foreach (var certificate in certificates)
        {
            var key = string.Join(",", certificate.ServerNames.Order(StringComparer.Ordinal));
            if (!byNames.TryGetValue(key, out var group))
            {
                byNames[key] = group = [];
                groups.Add(group);
            }

            group.Add(certificate);
        }

        return groups;
    }
}
