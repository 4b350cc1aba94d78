using MeshEdge.Config.Model;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Structural comparison of config pieces for a live change. The model's records compare their
/// ImmutableArray members by reference, so two loads of one file are never equal as records: these
/// compare the arrays by content and the rest by record equality.
/// </summary>
internal static class LiveConfigDiff
{
    /// <summary>Everything but the host list is the same: the cluster can stay.</summary>
    public static bool SameSettings(ClusterConfig current, ClusterConfig next)
    {
        // Hosts of a strict_dns cluster are names for its resolver: a change there is a change of
        // settings (a new cluster with its own resolver), not of membership. Static and eds hosts
        // (an xDS push of endpoints) are membership, swapped in place.
        if (current.Type == ClusterType.StrictDns && !SameHosts(current, next))
        {
            return false;
        }

        return WithoutArrays(current) == WithoutArrays(next)
            && current.HealthCheck?.ExpectedStatuses.SequenceEqual(next.HealthCheck!.ExpectedStatuses) != false
            && SameTls(current.Tls, next.Tls);
    }

    /// <summary>
    /// The same TLS origination: the lists by content, and not where the table sits (its key path, for
    /// errors only, moves with the cluster's position, which an xDS push changes at will). Otherwise
    /// every push translating a TLS cluster again would build a new cluster with a new client context.
    /// </summary>
    private static bool SameTls(UpstreamTlsConfig? current, UpstreamTlsConfig? next) =>
        current is null || next is null
            ? current is null && next is null
            : current.SubjectAltNames.SequenceEqual(next.SubjectAltNames) && current.Alpn.SequenceEqual(next.Alpn)
                && current with { SubjectAltNames = default, Alpn = default, KeyPath = "" } == next with { SubjectAltNames = default, Alpn = default, KeyPath = "" };

    public static bool SameHosts(ClusterConfig current, ClusterConfig next) => current.Hosts.SequenceEqual(next.Hosts);

    private static ClusterConfig WithoutArrays(ClusterConfig cluster) => cluster with
    {
        Hosts = default,
        Tls = null,
        HealthCheck = cluster.HealthCheck is { } check ? check with { ExpectedStatuses = default } : null,
    };
}
