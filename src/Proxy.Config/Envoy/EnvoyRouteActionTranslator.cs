using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Envoy;

/// <summary>A <c>RouteAction</c>: cluster or weighted clusters, rewrites, timeout, retry policy, hash policy.</summary>
internal static class EnvoyRouteActionTranslator
{
    private static readonly HashSet<string> RetryConditions = new(StringComparer.Ordinal)
    {
        "connect-failure", "reset", "5xx", "gateway-error", "retriable-status-codes", "per-try-timeout",
    };

    /// <summary>False when the action cannot be honoured (the route is then left out).</summary>
    public static bool Translate(SourceTable action, TargetTable route)
    {
        var usable = true;
        if (action.String("cluster") is { } cluster)
        {
            route.Set("cluster", EnvoyNames.Safe(cluster), action.PositionOf("cluster"), action.PathOf("cluster"));
        }
        else if (action.Child("weighted_clusters") is { } weighted)
        {
            var array = route.Array("weighted_clusters", weighted.PathOf("clusters"));
            foreach (var item in weighted.Children("clusters"))
            {
                var table = array.AddTable(item.Path, item.Position);
                if (item.String("name") is { } name)
                {
                    table.Set("cluster", EnvoyNames.Safe(name), item.PositionOf("name"), item.PathOf("name"));
                }

                table.Copy("weight", item, "weight");
                usable &= TranslatedEntries.LeaveOutRouteParts(item, "request_headers_to_add", "request_headers_to_remove", "response_headers_to_add", "response_headers_to_remove", "metadata_match", "typed_per_filter_config", "host_rewrite_literal");
                item.Finish();
            }

            weighted.Ignore("total_weight");
            weighted.Unsupported("runtime_key_prefix", "runtime overrides are not supported");
            weighted.Finish();
        }
        else
        {
            action.Context.Unsupported(action.Path, action.Position, "only cluster and weighted_clusters are supported (not cluster_header or cluster_specifier_plugin); the route is left out");
            usable = false;
        }

        route.Copy("prefix_rewrite", action, "prefix_rewrite");
        route.Copy("host_rewrite", action, "host_rewrite_literal");
        route.Copy("timeout", action, "timeout");
        if (action.Child("retry_policy") is { } retry)
        {
            RetryPolicy(retry, route.Child("retry_policy", retry.Path, retry.Position));
        }

        HashPolicy(action, route);
        usable &= TranslatedEntries.LeaveOutRouteParts(action, "cluster_header", "cluster_specifier_plugin", "regex_rewrite", "path_rewrite_policy", "host_rewrite_header", "host_rewrite_path_regex", "auto_host_rewrite", "metadata_match");
        action.Ignore("cluster_not_found_response_code");
        action.Finish();
        return usable;
    }

    /// <summary>Envoy's comma-separated <c>retry_on</c> becomes a list; conditions MeshEdge lacks are reported.</summary>
    private static void RetryPolicy(SourceTable retry, TargetTable target)
    {
        var conditions = target.Array("retry_on", retry.PathOf("retry_on"), retry.PositionOf("retry_on"));
        if (retry.Find("retry_on") is ConfigScalar on)
        {
            foreach (var raw in on.Text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (RetryConditions.Contains(raw))
                {
                    conditions.Add(new ConfigScalar(ScalarKind.String, raw, on.Position), retry.PathOf("retry_on"));
                }
                else
                {
                    retry.Context.Unsupported(retry.PathOf("retry_on"), on.Position, $"retry condition \"{raw}\" is not supported; left out");
                }
            }
        }

        target.Copy("num_retries", retry, "num_retries");
        target.Copy("per_try_timeout", retry, "per_try_timeout");
        target.Copy("retriable_status_codes", retry, "retriable_status_codes");
        retry.Finish();
    }

    /// <summary>The first hash policy (a header, a cookie or the source IP); more are reported.</summary>
    private static void HashPolicy(SourceTable action, TargetTable route)
    {
        var first = true;
        foreach (var policy in action.Children("hash_policy"))
        {
            if (!first)
            {
                policy.Context.Unsupported(policy.Path, policy.Position, "one hash policy per route is supported; left out");
                policy.TakeAll();
                continue;
            }

            first = false;
            var table = route.Child("hash_policy", policy.Path, policy.Position);
            if (policy.Child("header") is { } header)
            {
                table.Copy("header", header, "header_name");
                header.Finish();
            }
            else if (policy.Child("cookie") is { } cookie)
            {
                table.Copy("cookie", cookie, "name");
                cookie.Finish();
            }
            else if (policy.Child("connection_properties") is { } connection)
            {
                table.Copy("source_ip", connection, "source_ip");
                connection.Finish();
            }

            policy.Ignore("terminal");
            policy.Finish();
        }
    }
}
