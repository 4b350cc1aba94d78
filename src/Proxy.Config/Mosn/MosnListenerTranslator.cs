using MeshEdge.Config.Envoy;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Mosn;

/// <summary>
/// One MOSN listener into a <c>[[listeners]]</c> entry. Its first filter chain's <c>proxy</c> filter
/// says the protocols: Http1 (or Auto) becomes an http (or auto) listener with the named router's
/// virtual hosts; SofaRpc, bolt, boltv2 or X with a bolt sub-protocol a bolt listener whose
/// <c>rpc_proxy</c> routes come from the router's header matches. A <c>tcp_proxy</c> filter gives a
/// tcp listener.
/// </summary>
internal static class MosnListenerTranslator
{
    private static readonly HashSet<string> BoltProtocols = new(StringComparer.OrdinalIgnoreCase) { "SofaRpc", "bolt", "boltv2" };

    public static void Translate(SourceTable listener, TargetArray listeners, MosnRouterTable routers)
    {
        var context = listener.Context;
        listener.Ignore("type", "log_path", "log_level", "use_original_dst", "network");
        if (listener.Find("bind_port") is ConfigScalar { Text: "false" or "False" } bind)
        {
            context.Unsupported(listener.PathOf("bind_port"), bind.Position, "listeners that do not bind are not supported; the listener is left out");
            TranslatedEntries.Skip(listener, "listener");
            return;
        }

        if (listener.Find("inspector") is ConfigScalar { Text: "true" or "True" } inspector)
        {
            context.Unsupported(listener.PathOf("inspector"), inspector.Position, "the TLS inspector is not supported (no TLS yet); plaintext is served");
        }

        var name = listener.String("name");
        var address = listener.Find("address");
        var target = TargetTable.Detached();
        var chains = listener.Children("filter_chains").ToList();
        var served = chains.Count > 0 && Chain(chains[0], target, routers, listener);
        for (var i = 1; i < chains.Count; i++)
        {
            context.Unsupported(chains[i].Path, chains[i].Position, "one filter chain per listener is supported; this one is left out");
            chains[i].TakeAll();
        }

        StreamFilters(listener);
        AccessLogs(listener, target);
        if (name is null || address is null || !served)
        {
            if (name is null || address is null)
            {
                TranslatedEntries.RefuseMissing(listener, name is null ? "name" : "address");
            }
            else if (chains.Count == 0)
            {
                TranslatedEntries.RefuseMissing(listener, "filter_chains");
            }

            TranslatedEntries.Skip(listener, "listener");
            return;
        }

        TranslatedEntries.Listener(listener, listeners, name, address, target);
    }

    private static bool Chain(SourceTable chain, TargetTable target, MosnRouterTable routers, SourceTable listener)
    {
        chain.Ignore("match");
        if (chain.Child("tls_context") is { } tls)
        {
            RefuseTls(tls);
        }

        foreach (var context in chain.Children("tls_context_set"))
        {
            RefuseTls(context);
        }

        var filters = chain.Children("filters").ToList();
        foreach (var filter in filters.Where(f => string.Equals(f.String("type"), "connection_manager", StringComparison.OrdinalIgnoreCase)))
        {
            if (filter.Child("config") is { } config)
            {
                routers.Add(config);
            }

            filter.TakeAll();
        }

        var served = false;
        foreach (var filter in filters)
        {
            var type = filter.String("type") ?? "";
            if (type.Equals("connection_manager", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!served && type.Equals("proxy", StringComparison.OrdinalIgnoreCase) && filter.Child("config") is { } proxy)
            {
                served = Proxy(proxy, target, routers, listener);
            }
            else if (!served && type.Equals("tcp_proxy", StringComparison.OrdinalIgnoreCase) && filter.Child("config") is { } tcp)
            {
                served = TcpProxy(tcp, target, listener);
            }
            else
            {
                LeaveOut(filter, "network filter");
                continue;
            }

            filter.Finish();
        }

        chain.Finish();
        if (!served && filters.Count == 0)
        {
            chain.Context.Unsupported(chain.PathOf("filters"), chain.Position, "no proxy filter; the listener is left out");
        }

        return served;
    }

    private static bool Proxy(SourceTable proxy, TargetTable target, MosnRouterTable routers, SourceTable listener)
    {
        proxy.Ignore("name");
        var downstream = proxy.String("downstream_protocol") ?? "";
        var upstream = proxy.String("upstream_protocol") ?? downstream;
        var sub = proxy.Child("extend_config")?.String("sub_protocol");
        if (downstream == "X" && sub is not null)
        {
            downstream = sub;
            upstream = upstream == "X" ? sub : upstream;
        }

        var routerName = proxy.String("router_config_name");
        var router = routerName is null ? null : routers.Find(routerName);
        proxy.Finish();
        if (routerName is not null && router is null)
        {
            proxy.Context.Refuse(proxy.PathOf("router_config_name"), proxy.PositionOf("router_config_name"), $"no router named \"{routerName}\" in the server's routers");
            return false;
        }

        var httpLike = downstream is "Http1" or "Auto";
        if (httpLike && upstream is "Http1" or "Auto")
        {
            target.Set("protocol", downstream == "Auto" ? "auto" : "http", proxy.PositionOf("downstream_protocol"), proxy.PathOf("downstream_protocol"));
            var http = target.Child("http", proxy.Path, proxy.Position);
            http.Copy("idle_timeout", listener, "connection_idle_timeout");
            return router is not null && MosnRouteTranslator.Http(router, http);
        }

        if (BoltProtocols.Contains(downstream) && BoltProtocols.Contains(upstream))
        {
            target.Set("protocol", "bolt", proxy.PositionOf("downstream_protocol"), proxy.PathOf("downstream_protocol"));
            return router is not null && MosnRouteTranslator.Bolt(router, target.Child("rpc_proxy", proxy.Path, proxy.Position));
        }

        proxy.Context.Unsupported(proxy.PathOf("downstream_protocol"), proxy.PositionOf("downstream_protocol"),
            $"{downstream} to {upstream} is not supported (Http1 or Auto to Http1, and SofaRpc/bolt/boltv2 to the same, are); the listener is left out");
        return false;
    }

    private static bool TcpProxy(SourceTable tcp, TargetTable target, SourceTable listener)
    {
        tcp.Ignore("stat_prefix");
        if (tcp.String("cluster") is not { } cluster)
        {
            tcp.Context.Unsupported(tcp.Path, tcp.Position, "only a tcp_proxy with a cluster is supported (not routes); the listener is left out");
            tcp.TakeAll();
            return false;
        }

        target.Set("protocol", "tcp", tcp.PositionOf("cluster"), tcp.PathOf("cluster"));
        var table = target.Child("tcp_proxy", tcp.Path, tcp.Position);
        table.Set("cluster", EnvoyNames.Safe(cluster), tcp.PositionOf("cluster"), tcp.PathOf("cluster"));
        table.Copy("idle_timeout", listener, "connection_idle_timeout");
        tcp.Finish();
        return true;
    }

    private static void RefuseTls(SourceTable tls)
    {
        if (tls.Find("status") is ConfigScalar { Text: "true" or "True" } status)
        {
            tls.Context.Refuse(tls.PathOf("status"), status.Position, "TLS is not supported yet; serving plaintext instead would be a silent downgrade, so the config is refused");
        }

        tls.TakeAll();
    }

    private static void StreamFilters(SourceTable listener)
    {
        foreach (var filter in listener.Children("stream_filters"))
        {
            LeaveOut(filter, "stream filter");
        }
    }

    /// <summary>A filter MeshEdge does not run: refused when it enforces security (rbac, auth), else reported.</summary>
    private static void LeaveOut(SourceTable filter, string kind)
    {
        var type = filter.String("type") ?? "";
        filter.TakeAll();
        if (EnvoyExtension.IsSecurity("", type) || type.Contains("auth", StringComparison.OrdinalIgnoreCase))
        {
            filter.Context.Refuse(filter.Path, filter.Position, $"{kind} {type} enforces security and is not supported; leaving it out would let through what it stops, so the config is refused");
            return;
        }

        filter.Context.Unsupported(filter.Path, filter.Position, $"{kind} {type} is not supported; left out");
    }

    /// <summary>The first access log's path is kept; MOSN's format variables differ from MeshEdge's, so the default format is used.</summary>
    private static void AccessLogs(SourceTable listener, TargetTable target)
    {
        var first = true;
        foreach (var log in listener.Children("access_logs"))
        {
            if (first && target.Table.TryGet("http", out var http) && http is ConfigTable && log.Find("log_path") is ConfigScalar path)
            {
                var table = target.Child("http", log.Path).Child("access_log", log.Path, log.Position);
                table.Set("path", path.Text is "/dev/stdout" ? "stdout" : path.Text is "/dev/stderr" ? "stderr" : path.Text, path.Position, log.PathOf("log_path"));
                log.Unsupported("log_format", "MOSN's log variables are not MeshEdge's; the default format is used");
                log.Finish();
            }
            else
            {
                log.Context.Unsupported(log.Path, log.Position, "access logs are supported on HTTP listeners, one per listener; left out");
                log.TakeAll();
            }

            first = false;
        }
    }
}
