using MeshEdge.Config.Translation;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// One Envoy <c>Listener</c> into a <c>[[listeners]]</c> entry. MeshEdge serves one filter chain per
/// listener: the chain without a <c>filter_chain_match</c> (or the <c>default_filter_chain</c>);
/// chains picked by a match are reported and left out. The chain's last network filter decides the
/// listener's protocol: <c>http_connection_manager</c> (http) or <c>tcp_proxy</c> (tcp).
/// </summary>
internal static class EnvoyListenerTranslator
{
    public static void Translate(SourceTable listener, TargetArray listeners)
    {
        var context = listener.Context;
        EnvoyExtension.CheckResourceType(listener, "envoy.config.listener.v3.Listener");
        if (listener.Has("internal_listener") || (!listener.Has("address") && listener.Has("filter_chains")))
        {
            context.Unsupported(listener.Path, listener.Position, "internal listeners (no address) are not supported; the listener is left out");
            TranslatedEntries.Skip(listener, "listener");
            return;
        }

        var address = EnvoyAddress.Read(listener.Child("address"), "the listener");

        // Envoy names an unnamed listener itself; MeshEdge names it after its address, as Istio does ("0.0.0.0_15021").
        var name = listener.Has("name") ? listener.String("name") : address is null ? null : AddressName(address.Text);
        var chain = PickChain(listener);
        listener.Unsupported("listener_filters", "listener filters (original_dst, tls_inspector, http_inspector...) are not supported");
        listener.Unsupported("additional_addresses", "one address per listener is supported");
        listener.Ignore("stat_prefix", "metadata", "traffic_direction", "drain_type", "continue_on_listener_filters_timeout", "listener_filters_timeout");
        if (listener.Find("bind_to_port") is Tree.ConfigScalar { Text: "false" or "False" } bind)
        {
            context.Unsupported(listener.PathOf("bind_to_port"), bind.Position, "listeners that do not bind (reached only through original_dst) are not supported; the listener is left out");
            TranslatedEntries.Skip(listener, "listener");
            return;
        }

        if (name is null || address is null || chain is null)
        {
            if (address is null && !listener.Has("address"))
            {
                TranslatedEntries.RefuseMissing(listener, "address");
            }

            TranslatedEntries.Skip(listener, "listener");
            return;
        }

        // Build into a detached table first: a chain that turns out unusable leaves no half listener behind.
        var target = TargetTable.Detached();
        if (!TranslateChain(chain, target))
        {
            TranslatedEntries.Skip(listener, "listener");
            return;
        }

        TranslatedEntries.Listener(listener, listeners, name, address, target);
    }

    private static string AddressName(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return $"{endpoint[..colon].Trim('[', ']')}_{endpoint[(colon + 1)..]}";
    }

    private static SourceTable? PickChain(SourceTable listener)
    {
        SourceTable? picked = null;
        foreach (var chain in listener.Children("filter_chains"))
        {
            var match = chain.Child("filter_chain_match");
            if (match is not null && match.Table.Entries.Count > 0)
            {
                match.TakeAll();
                chain.Context.Unsupported(chain.PathOf("filter_chain_match"), match.Position,
                    "filter chains picked by a match are not supported; this chain is left out");
                chain.TakeAll();
                continue;
            }

            if (picked is not null)
            {
                chain.Context.Unsupported(chain.Path, chain.Position, "one filter chain per listener is supported; this one is left out");
                chain.TakeAll();
                continue;
            }

            picked = chain;
        }

        var fallback = listener.Child("default_filter_chain");
        if (picked is null && fallback is not null)
        {
            return fallback;
        }

        if (fallback is not null)
        {
            fallback.Context.Unsupported(fallback.Path, fallback.Position, "one filter chain per listener is supported; the default chain is left out");
            fallback.TakeAll();
        }

        if (picked is null && !listener.Has("filter_chains"))
        {
            TranslatedEntries.RefuseMissing(listener, "filter_chains");
        }
        else if (picked is null)
        {
            listener.Context.Unsupported(listener.PathOf("filter_chains"), listener.Position, "no filter chain MeshEdge can serve; the listener is left out");
        }

        return picked;
    }

    /// <summary>Writes protocol and session table; false when the chain cannot be served (reported).</summary>
    private static bool TranslateChain(SourceTable chain, TargetTable target)
    {
        chain.Ignore("name", "metadata", "filter_chain_match");
        if (chain.Child("transport_socket") is { } socket)
        {
            EnvoyTransportSocket.Translate(socket, target, downstream: true);
        }

        if (target.Table.TryGet("tls", out _))
        {
            target.Child("tls", chain.Path).Copy("handshake_timeout", chain, "transport_socket_connect_timeout");
        }

        chain.Unsupported("transport_socket_connect_timeout", "no TLS on this chain: no handshake to time");
        var filters = chain.Children("filters").ToList();
        chain.Finish();
        if (filters.Count == 0)
        {
            chain.Context.Unsupported(chain.PathOf("filters"), chain.Position, "no network filters; the listener is left out");
            return false;
        }

        for (var i = 0; i < filters.Count - 1; i++)
        {
            LeaveOutFilter(filters[i], "network");
        }

        var last = filters[^1];
        var type = EnvoyExtension.TypeOf(last, out var typed);
        last.Ignore("name");
        last.Finish();
        switch (type)
        {
            case EnvoyExtension.HttpConnectionManager when typed is not null:
                target.Set("protocol", "http", typed.Position, last.Path);
                return EnvoyHttpTranslator.Translate(typed, target.Child("http", typed.Path, typed.Position));
            case EnvoyExtension.TcpProxy when typed is not null:
                target.Set("protocol", "tcp", typed.Position, last.Path);
                return TranslateTcpProxy(typed, target.Child("tcp_proxy", typed.Path, typed.Position));
            default:
                LeaveOutFilter(last, "network", terminal: true);
                return false;
        }
    }

    /// <summary>A filter MeshEdge does not run: refused when it enforces security, else reported.</summary>
    public static void LeaveOutFilter(SourceTable filter, string kind, bool terminal = false)
    {
        var name = filter.String("name") ?? "";
        var type = EnvoyExtension.TypeOf(filter, out var typed);
        typed?.TakeAll();
        filter.TakeAll();
        var label = type.Length > 0 ? type : name;
        if (EnvoyExtension.IsSecurity(type, name))
        {
            filter.Context.Refuse(filter.Path, filter.Position, $"{kind} filter {label} enforces security and is not supported; leaving it out would let through what it stops, so the config is refused");
        }
        else if (filter.Find("is_optional") is Tree.ConfigScalar { Text: "true" or "True" })
        {
            filter.Context.Unsupported(filter.Path, filter.Position, $"optional {kind} filter {label} is not supported; skipped");
        }
        else
        {
            filter.Context.Unsupported(filter.Path, filter.Position, terminal
                ? $"{kind} filter {label} is not supported (http_connection_manager and tcp_proxy are); the listener is left out"
                : $"{kind} filter {label} is not supported; left out");
        }
    }

    private static bool TranslateTcpProxy(SourceTable proxy, TargetTable target)
    {
        proxy.Ignore("@type", "stat_prefix");
        if (proxy.String("cluster") is not { } cluster)
        {
            proxy.Unsupported("weighted_clusters", "weighted clusters are not supported on tcp_proxy; the listener is left out");
            proxy.Finish();
            if (!proxy.Has("weighted_clusters"))
            {
                TranslatedEntries.RefuseMissing(proxy, "cluster");
            }

            return false;
        }

        target.Set("cluster", EnvoyNames.Safe(cluster), proxy.PositionOf("cluster"), proxy.PathOf("cluster"));
        target.Copy("idle_timeout", proxy, "idle_timeout");
        target.Copy("max_connect_attempts", proxy, "max_connect_attempts");
        proxy.Unsupported("access_log", "tcp_proxy access logs are not supported");
        proxy.Finish();
        return true;
    }
}
