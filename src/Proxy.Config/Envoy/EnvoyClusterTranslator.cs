using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// One Envoy <c>Cluster</c> into a <c>[[clusters]]</c> entry: type, lb_policy, connect_timeout,
/// load_assignment's endpoints (weights, priorities), the first health check, the default-priority
/// circuit breakers and outlier detection.
/// </summary>
internal static class EnvoyClusterTranslator
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        ["STATIC"] = "static",
        ["STRICT_DNS"] = "strict_dns",
        ["LOGICAL_DNS"] = "strict_dns",
        ["EDS"] = "eds",
    };

    private static readonly Dictionary<string, string> Policies = new(StringComparer.Ordinal)
    {
        ["ROUND_ROBIN"] = "round_robin",
        ["LEAST_REQUEST"] = "least_request",
        ["RANDOM"] = "random",
        ["RING_HASH"] = "ring_hash",
        ["MAGLEV"] = "maglev",
    };

    private static readonly Dictionary<string, string> LookupFamilies = new(StringComparer.Ordinal)
    {
        ["V4_ONLY"] = "v4_only",
        ["V6_ONLY"] = "v6_only",
        ["ALL"] = "all",
    };

    public static void Translate(SourceTable cluster, TargetArray clusters)
    {
        EnvoyExtension.CheckResourceType(cluster, "envoy.config.cluster.v3.Cluster");
        var name = cluster.String("name");
        if (name is null)
        {
            TranslatedEntries.RefuseMissing(cluster, "name");
            cluster.TakeAll();
            return;
        }

        var typeText = cluster.String("type") ?? "STATIC";
        if (!Types.TryGetValue(typeText, out var type))
        {
            cluster.Context.Unsupported(cluster.PathOf("type"), cluster.PositionOf("type"),
                $"cluster type {typeText} is not supported (STATIC, STRICT_DNS, LOGICAL_DNS, EDS are); the cluster is left out");
            TranslatedEntries.Skip(cluster, "cluster");
            return;
        }

        var hosts = ReadEndpoints(cluster);
        if (hosts.Count == 0 && type != "eds")
        {
            cluster.Context.Unsupported(cluster.PathOf("load_assignment"), cluster.Position,
                "no endpoint MeshEdge can reach (an IP or DNS name with a port); the cluster is left out");
            TranslatedEntries.Skip(cluster, "cluster");
            return;
        }

        var target = TranslatedEntries.Cluster(cluster, clusters, name, type);
        if (typeText == "LOGICAL_DNS")
        {
            cluster.Context.Unsupported(cluster.PathOf("type"), cluster.PositionOf("type"),
                "LOGICAL_DNS is served as STRICT_DNS (every resolved address is a host, not only the first)");
        }

        if (type == "eds")
        {
            cluster.Unsupported("eds_cluster_config", "endpoints from EDS are fetched only for clusters from the control plane (CDS over the xDS client); this static cluster starts empty");
        }

        var hostArray = target.Array("hosts", cluster.PathOf("load_assignment"));
        foreach (var (address, weight, priority, path) in hosts)
        {
            var host = hostArray.AddTable(path, address.Position);
            host.Set("address", address, path + ".endpoint.address");
            if (weight is not null)
            {
                host.Set("weight", weight, path + ".load_balancing_weight");
            }

            if (priority is not null)
            {
                host.Set("priority", priority, path);
            }
        }

        var policy = cluster.String("lb_policy");
        if (policy is not null)
        {
            if (Policies.TryGetValue(policy, out var mapped))
            {
                target.Set("lb_policy", mapped, cluster.PositionOf("lb_policy"), cluster.PathOf("lb_policy"));
            }
            else
            {
                cluster.Context.Unsupported(cluster.PathOf("lb_policy"), cluster.PositionOf("lb_policy"), $"{policy} is not supported; round robin is used");
            }
        }

        target.Copy("connect_timeout", cluster, "connect_timeout");
        target.Copy("dns_refresh_rate", cluster, "dns_refresh_rate");
        if (cluster.String("dns_lookup_family") is { } family)
        {
            if (LookupFamilies.TryGetValue(family, out var mapped))
            {
                target.Set("dns_lookup_family", mapped, cluster.PositionOf("dns_lookup_family"), cluster.PathOf("dns_lookup_family"));
            }
            else
            {
                cluster.Context.Unsupported(cluster.PathOf("dns_lookup_family"), cluster.PositionOf("dns_lookup_family"), $"{family} is not supported; V4_ONLY is used");
            }
        }

        EnvoyClusterPolicies.HealthChecks(cluster, target);
        EnvoyClusterPolicies.CircuitBreakers(cluster, target);
        EnvoyClusterPolicies.OutlierDetection(cluster, target);
        EnvoyTransportSocket.TranslateCluster(cluster, target);
        EnvoyClusterProtocol.Translate(cluster, target);
        cluster.Ignore("alt_stat_name");
        cluster.Finish();
    }

    private static List<(ConfigScalar Address, ConfigNode? Weight, ConfigNode? Priority, string Path)> ReadEndpoints(SourceTable cluster)
    {
        var hosts = new List<(ConfigScalar, ConfigNode?, ConfigNode?, string)>();
        cluster.Unsupported("hosts", "the v2 hosts field is not supported; use load_assignment");
        if (cluster.Child("load_assignment") is not { } assignment)
        {
            return hosts;
        }

        assignment.Ignore("cluster_name");
        assignment.Unsupported("policy", "endpoint overprovisioning and drop policies are not supported");
        foreach (var locality in assignment.Children("endpoints"))
        {
            locality.Unsupported("locality", "locality-aware balancing is not supported; the endpoints are used without it");
            locality.Unsupported("load_balancing_weight", "locality weights are not supported");
            var priority = locality.Find("priority");
            foreach (var endpoint in locality.Children("lb_endpoints"))
            {
                var weight = endpoint.Find("load_balancing_weight");
                endpoint.Unsupported("health_status", "a health status from the config is not supported; hosts start healthy");
                endpoint.Ignore("metadata");
                if (endpoint.Child("endpoint") is { } inner)
                {
                    inner.Ignore("hostname");
                    inner.Unsupported("health_check_config", "a per-endpoint health check address is not supported");
                    var address = EnvoyAddress.Read(inner.Child("address"), "the endpoint");
                    inner.Finish();
                    if (address is not null)
                    {
                        hosts.Add((address, weight, priority, endpoint.Path));
                    }
                }

                endpoint.Unsupported("endpoint_name", "named endpoints are not supported");
                endpoint.Finish();
            }

            locality.Finish();
        }

        assignment.Finish();
        return hosts;
    }
}
