using MeshEdge.Config.Envoy;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Mosn;

/// <summary>One of <c>cluster_manager.clusters</c>: SIMPLE (static hosts) or STRICT_DNS, lb_type, hosts, health check, circuit breakers.</summary>
internal static class MosnClusterTranslator
{
    private static readonly Dictionary<string, string> Policies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["LB_RANDOM"] = "random",
        ["LB_ROUNDROBIN"] = "round_robin",
        ["LB_LEAST_REQUEST"] = "least_request",
        ["LB_MAGLEV"] = "maglev",
    };

    public static void Translate(SourceTable cluster, TargetArray clusters)
    {
        var name = cluster.String("name");
        var type = cluster.String("type") ?? "SIMPLE";
        if (name is null || type is not ("SIMPLE" or "STRICT_DNS"))
        {
            if (name is null)
            {
                TranslatedEntries.RefuseMissing(cluster, "name");
            }
            else
            {
                cluster.Context.Unsupported(cluster.PathOf("type"), cluster.PositionOf("type"), $"cluster type {type} is not supported (SIMPLE and STRICT_DNS are); the cluster is left out");
            }

            TranslatedEntries.Skip(cluster, "cluster");
            return;
        }

        var target = TranslatedEntries.Cluster(cluster, clusters, name, type == "SIMPLE" ? "static" : "strict_dns");
        if (cluster.String("lb_type") is { } lb)
        {
            if (Policies.TryGetValue(lb, out var policy))
            {
                target.Set("lb_policy", policy, cluster.PositionOf("lb_type"), cluster.PathOf("lb_type"));
            }
            else
            {
                cluster.Context.Unsupported(cluster.PathOf("lb_type"), cluster.PositionOf("lb_type"), $"{lb} is not supported; round robin is used");
            }
        }

        target.Copy("connect_timeout", cluster, "connect_timeout");
        var hosts = target.Array("hosts", cluster.PathOf("hosts"));
        foreach (var host in cluster.Children("hosts"))
        {
            var table = hosts.AddTable(host.Path, host.Position);
            table.Copy("address", host, "address");
            table.Copy("weight", host, "weight");
            host.Ignore("hostname");
            host.Unsupported("metadata", "host metadata (subsets) is not supported");
            host.Finish();
        }

        HealthCheck(cluster, target);
        if (cluster.Child("circuit_breakers") is { } breakers)
        {
            EnvoyClusterPolicies.Thresholds(breakers, target);
        }

        cluster.Unsupported("lb_subset_config", "subset load balancing is not supported");
        if (cluster.Child("tls_context") is { } tls)
        {
            if (tls.Find("status") is ConfigScalar { Text: "true" or "True" } status)
            {
                tls.Context.Refuse(tls.PathOf("status"), status.Position, "upstream TLS is not supported yet; plaintext instead would be a silent downgrade, so the config is refused");
            }

            tls.TakeAll();
        }

        cluster.Finish();
    }

    private static void HealthCheck(SourceTable cluster, TargetTable target)
    {
        if (cluster.Child("health_check") is not { } check)
        {
            return;
        }

        var table = target.Child("health_check", check.Path, check.Position);
        var protocol = check.String("protocol") ?? "";
        var type = protocol switch
        {
            "Http1" => "http",
            "SofaRpc" or "bolt" or "boltv2" => "bolt",
            _ => "tcp",
        };
        table.Set("type", type, check.PositionOf("protocol"), check.PathOf("protocol"));
        table.Copy("interval", check, "interval");
        table.Copy("timeout", check, "timeout");
        table.Copy("healthy_threshold", check, "healthy_threshold");
        table.Copy("unhealthy_threshold", check, "unhealthy_threshold");
        if (type == "http" && check.String("check_path") is { Length: > 0 } path)
        {
            table.Set("path", path, check.PositionOf("check_path"), check.PathOf("check_path"));
        }

        check.Ignore("interval_jitter", "check_path", "service_name");
        check.Finish();
    }
}
