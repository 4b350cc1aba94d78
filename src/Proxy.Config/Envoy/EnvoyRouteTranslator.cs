using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// An inline <c>route_config</c> into virtual hosts and routes. A route whose match or action MeshEdge
/// cannot honour is left out whole (reported): matching it more broadly, or sending it elsewhere,
/// would change where traffic goes.
/// </summary>
internal static class EnvoyRouteTranslator
{
    private static readonly Dictionary<string, string> RedirectCodes = new(StringComparer.Ordinal)
    {
        ["MOVED_PERMANENTLY"] = "301",
        ["FOUND"] = "302",
        ["SEE_OTHER"] = "303",
        ["TEMPORARY_REDIRECT"] = "307",
        ["PERMANENT_REDIRECT"] = "308",
    };

    public static bool TranslateRouteConfig(SourceTable routeConfig, TargetTable http)
    {
        routeConfig.Ignore("name", "validate_clusters");
        var hosts = http.Array("virtual_hosts", routeConfig.PathOf("virtual_hosts"));
        foreach (var host in routeConfig.Children("virtual_hosts"))
        {
            VirtualHost(host, hosts);
        }

        routeConfig.Finish();
        if (hosts.Count == 0)
        {
            routeConfig.Context.Unsupported(routeConfig.PathOf("virtual_hosts"), routeConfig.Position, "no virtual host MeshEdge can serve; the listener is left out");
            return false;
        }

        return true;
    }

    private static void VirtualHost(SourceTable host, TargetArray hosts)
    {
        if (host.String("require_tls") is { } requireTls && requireTls != "NONE")
        {
            host.Context.Refuse(host.PathOf("require_tls"), host.PositionOf("require_tls"), $"require_tls {requireTls} needs TLS, which is not supported yet");
        }

        RefuseSecurityOverrides(host, "typed_per_filter_config");

        var target = TranslatedEntries.VirtualHost(host, hosts, "routes", out var routes);
        foreach (var route in host.Children("routes"))
        {
            Route(route, routes);
        }

        host.Finish();
        if (routes.Count == 0)
        {
            host.Context.Unsupported(host.Path, host.Position, "no route MeshEdge can serve; the virtual host is left out");
            return;
        }

        hosts.AddTable(host.Path, host.Position).Adopt(target);
    }

    private static void Route(SourceTable route, TargetArray routes)
    {
        var context = route.Context;
        var target = TargetTable.Detached();
        route.Ignore("name", "decorator", "metadata");
        RefuseSecurityOverrides(route, "typed_per_filter_config");
        var usable = route.Child("match") is { } match
            ? EnvoyRouteMatchTranslator.Translate(match, target.Child("match", match.Path, match.Position))
            : Refused(route, "match");
        usable &= Action(route, target);
        EnvoyHeaderTranslator.Mutations(route, target);
        route.Finish();
        if (!usable)
        {
            context.Resource("route", route.Path, skipped: true);
            return;
        }

        context.Resource("route", route.Path);
        routes.AddTable(route.Path, route.Position).Adopt(target);
    }

    private static bool Refused(SourceTable route, string key)
    {
        TranslatedEntries.RefuseMissing(route, key);
        return false;
    }

    /// <summary>Exactly one of route, redirect, direct_response; false when it cannot be honoured.</summary>
    private static bool Action(SourceTable route, TargetTable target)
    {
        if (route.Child("route") is { } forward)
        {
            return EnvoyRouteActionTranslator.Translate(forward, target);
        }

        if (route.Child("direct_response") is { } direct)
        {
            var table = target.Child("direct_response", direct.Path, direct.Position);
            table.Copy("status", direct, "status");
            if (direct.Child("body") is { } body)
            {
                table.Copy("body", body, "inline_string");
                body.Unsupported("filename", "bodies from files are not supported; the route is left out");
                body.Finish();
                if (body.Has("filename"))
                {
                    direct.Finish();
                    return false;
                }
            }

            direct.Finish();
            return true;
        }

        if (route.Child("redirect") is { } redirect)
        {
            return Redirect(redirect, target.Child("redirect", redirect.Path, redirect.Position));
        }

        route.Context.Unsupported(route.Path, route.Position, "no action MeshEdge supports (route, redirect, direct_response); the route is left out");
        return false;
    }

    private static bool Redirect(SourceTable redirect, TargetTable table)
    {
        var code = redirect.String("response_code") ?? "MOVED_PERMANENTLY";
        if (!RedirectCodes.TryGetValue(code, out var status))
        {
            redirect.Context.Refuse(redirect.PathOf("response_code"), redirect.PositionOf("response_code"), $"unknown response code {code}");
            return false;
        }

        table.Set("status", new ConfigScalar(ScalarKind.Integer, status, redirect.Position), redirect.PathOf("response_code"));
        if (redirect.Find("https_redirect") is ConfigScalar { Text: "true" or "True" } https)
        {
            table.Set("scheme", "https", https.Position, redirect.PathOf("https_redirect"));
        }

        table.Copy("scheme", redirect, "scheme_redirect");
        table.Copy("host", redirect, "host_redirect");
        table.Copy("path", redirect, "path_redirect");
        var usable = true;
        foreach (var key in new[] { "port_redirect", "prefix_rewrite", "regex_rewrite", "strip_query" })
        {
            if (redirect.Has(key))
            {
                redirect.Unsupported(key, "not supported; the route is left out");
                usable = false;
            }
        }

        redirect.Finish();
        return usable;
    }

    /// <summary>A per-route override of a security filter (RBAC, ext_authz...) cannot be dropped silently.</summary>
    private static void RefuseSecurityOverrides(SourceTable owner, string key)
    {
        if (owner.Child(key) is not { } overrides)
        {
            return;
        }

        foreach (var entry in overrides.Table.Entries)
        {
            var type = entry.Value is ConfigTable table && table.TryGet("@type", out var t) && t is ConfigScalar s ? s.Text : "";
            if (EnvoyExtension.IsSecurity(type, entry.Key))
            {
                owner.Context.Refuse(Values.KeyPath.Child(overrides.Path, entry.Key), entry.KeyPosition, "a per-route security filter config is not supported, so the config is refused");
            }
            else
            {
                owner.Context.Unsupported(Values.KeyPath.Child(overrides.Path, entry.Key), entry.KeyPosition, "per-route filter config is not supported; left out");
            }
        }

        overrides.TakeAll();
    }
}
