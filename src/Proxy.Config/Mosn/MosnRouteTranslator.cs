using MeshEdge.Config.Envoy;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Mosn;

/// <summary>
/// A MOSN router config (<c>virtual_hosts[].routers[]</c>, each a <c>match</c> and a <c>route</c>
/// with <c>cluster_name</c>) into HTTP virtual hosts, or into Bolt routes: there the header match on
/// <c>service</c> is the service match and the virtual hosts' domains play no part.
/// </summary>
internal static class MosnRouteTranslator
{
    public static bool Http(SourceTable router, TargetTable http)
    {
        router.Ignore("router_config_name");
        var hosts = http.Array("virtual_hosts", router.PathOf("virtual_hosts"));
        foreach (var host in router.Children("virtual_hosts"))
        {
            var target = TranslatedEntries.VirtualHost(host, hosts, "routers", out var routes);
            foreach (var route in host.Children("routers"))
            {
                HttpRoute(route, routes);
            }

            host.Finish();
            if (routes.Count > 0)
            {
                hosts.AddTable(host.Path, host.Position).Adopt(target);
            }
        }

        router.Finish();
        if (hosts.Count == 0)
        {
            router.Context.Unsupported(router.Path, router.Position, "no route MeshEdge can serve; the listener is left out");
        }

        return hosts.Count > 0;
    }

    private static void HttpRoute(SourceTable route, TargetArray routes)
    {
        var target = TargetTable.Detached();
        var usable = true;
        if (route.Child("match") is { } match)
        {
            var table = target.Child("match", match.Path, match.Position);
            table.Copy("prefix", match, "prefix");
            table.Copy("path", match, "path");
            table.Copy("regex", match, "regex");
            TargetArray? headers = null;
            foreach (var header in match.Children("headers"))
            {
                headers ??= table.Array("headers", match.PathOf("headers"));
                var condition = headers.AddTable(header.Path, header.Position);
                condition.Copy("name", header, "name");
                var regex = header.Find("regex") is ConfigScalar { Text: "true" or "True" };
                condition.Copy(regex ? "regex" : "exact", header, "value");
                header.Finish();
            }

            usable &= TranslatedEntries.LeaveOutRouteParts(match, "variables", "dsl_expressions");
            if (!match.Has("prefix") && !match.Has("path") && !match.Has("regex"))
            {
                table.Set("prefix", "/", match.Position, match.Path);
            }

            match.Finish();
        }

        if (route.Child("route") is { } action)
        {
            if (action.String("cluster_name") is { } cluster)
            {
                target.Set("cluster", EnvoyNames.Safe(cluster), action.PositionOf("cluster_name"), action.PathOf("cluster_name"));
            }
            else if (action.Has("weighted_clusters"))
            {
                var weighted = target.Array("weighted_clusters", action.PathOf("weighted_clusters"));
                foreach (var item in action.Children("weighted_clusters"))
                {
                    if (item.Child("cluster") is { } inner)
                    {
                        var table = weighted.AddTable(inner.Path, inner.Position);
                        if (inner.String("name") is { } name)
                        {
                            table.Set("cluster", EnvoyNames.Safe(name), inner.PositionOf("name"), inner.PathOf("name"));
                        }

                        table.Copy("weight", inner, "weight");
                        usable &= TranslatedEntries.LeaveOutRouteParts(inner, "metadata_match");
                        inner.Finish();
                    }

                    item.Finish();
                }
            }

            target.Copy("timeout", action, "timeout");
            target.Copy("prefix_rewrite", action, "prefix_rewrite");
            target.Copy("host_rewrite", action, "host_rewrite");
            usable &= TranslatedEntries.LeaveOutRouteParts(action, "metadata_match", "cluster_header", "cluster_variable");
            action.Unsupported("retry_policy", "MOSN's retry policy is not translated; no retries beyond MeshEdge's safe default");
            action.Finish();
        }
        else if (route.Child("direct_response") is { } direct)
        {
            var table = target.Child("direct_response", direct.Path, direct.Position);
            table.Copy("status", direct, "status");
            table.Copy("body", direct, "body");
            direct.Finish();
        }
        else
        {
            route.Context.Unsupported(route.Path, route.Position, "only route (cluster_name, weighted_clusters) and direct_response actions are supported; the route is left out");
            usable = false;
        }

        route.Unsupported("redirect", "MOSN redirects are not translated; the route is left out");
        route.Finish();
        route.Context.Resource("route", route.Path, skipped: !usable);
        if (usable)
        {
            routes.AddTable(route.Path, route.Position).Adopt(target);
        }
    }

    /// <summary>Every router of every virtual host, in order, as Bolt routes; the domains play no part.</summary>
    public static bool Bolt(SourceTable router, TargetTable rpc)
    {
        router.Ignore("router_config_name");
        var routes = rpc.Array("routes", router.PathOf("virtual_hosts"));
        foreach (var host in router.Children("virtual_hosts"))
        {
            host.Ignore("name", "domains");
            foreach (var route in host.Children("routers"))
            {
                BoltRoute(route, routes);
            }

            host.Finish();
        }

        router.Finish();
        return routes.Count > 0;
    }

    private static void BoltRoute(SourceTable route, TargetArray routes)
    {
        var target = TargetTable.Detached();
        var usable = true;
        if (route.Child("match") is { } match)
        {
            var table = target.Child("match", match.Path, match.Position);
            foreach (var header in match.Children("headers"))
            {
                var name = header.String("name") ?? "";
                var regex = header.Find("regex") is ConfigScalar { Text: "true" or "True" };
                if (name == "service")
                {
                    table.Copy(regex ? "service_regex" : "service", header, "value");
                }
                else if (!regex && header.Find("value") is { } value)
                {
                    table.Child("headers", header.Path).Set(name, value, header.PathOf("value"));
                }
                else
                {
                    header.Context.Unsupported(header.Path, header.Position, "regex matches on headers other than service are not supported; the route is left out");
                    usable = false;
                }

                header.Finish();
            }

            usable &= TranslatedEntries.LeaveOutRouteParts(match, "prefix", "path", "regex", "variables", "dsl_expressions");
            match.Finish();
        }

        if (route.Child("route") is { } action && action.String("cluster_name") is { } cluster)
        {
            target.Set("cluster", EnvoyNames.Safe(cluster), action.PositionOf("cluster_name"), action.PathOf("cluster_name"));
            target.Copy("timeout", action, "timeout");
            usable &= TranslatedEntries.LeaveOutRouteParts(action, "weighted_clusters", "metadata_match", "prefix_rewrite", "host_rewrite");
            action.Unsupported("retry_policy", "MOSN's retry policy is not translated");
            action.Finish();
        }
        else
        {
            route.Context.Unsupported(route.Path, route.Position, "a Bolt route needs route.cluster_name; the route is left out");
            usable = false;
        }

        route.Finish();
        route.Context.Resource("route", route.Path, skipped: !usable);
        if (usable)
        {
            routes.AddTable(route.Path, route.Position).Adopt(target);
        }
    }
}
