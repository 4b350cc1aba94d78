using MeshEdge.Config.AccessLog;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// The <c>http_connection_manager</c> network filter into a listener's <c>[listeners.http]</c>
/// table: timeouts, limits, request ids, forwarding headers, a file or stdout access log, the HTTP
/// filters (router last; the rest reported, or refused when they enforce security) and the inline
/// <c>route_config</c>. Routes from RDS need the xDS client: such a listener is left out.
/// </summary>
internal static class EnvoyHttpTranslator
{
    /// <summary>False when the listener cannot be served (reported).</summary>
    public static bool Translate(SourceTable manager, TargetTable http)
    {
        var context = manager.Context;
        manager.Ignore("@type", "stat_prefix", "server_name", "server_header_transformation");
        if (manager.String("codec_type") is { } codec && codec is not ("AUTO" or "HTTP1"))
        {
            context.Unsupported(manager.PathOf("codec_type"), manager.PositionOf("codec_type"), $"{codec} is not supported; the listener speaks HTTP/1.1");
        }

        if (manager.Child("common_http_protocol_options") is { } common)
        {
            http.Copy("idle_timeout", common, "idle_timeout");
            common.Finish();
        }

        http.Copy("request_headers_timeout", manager, "request_headers_timeout");
        if (manager.Find("max_request_headers_kb") is ConfigScalar kb && int.TryParse(kb.Text, out var kilobytes))
        {
            http.Set("max_request_headers_size", new ConfigScalar(ScalarKind.Integer, (kilobytes * 1024L).ToString(System.Globalization.CultureInfo.InvariantCulture), kb.Position),
                manager.PathOf("max_request_headers_kb"));
        }

        http.Copy("generate_request_id", manager, "generate_request_id");

        // Envoy appends the client to x-forwarded-for only when it is the edge (use_remote_address).
        var remote = manager.Find("use_remote_address");
        http.Set("add_forwarded_headers", remote ?? new ConfigScalar(ScalarKind.Boolean, "false", manager.Position), manager.PathOf("use_remote_address"));
        AccessLogs(manager, http);
        if (!HttpFilters(manager))
        {
            manager.Finish();
            return false;
        }

        var routes = manager.Child("route_config");
        manager.Unsupported("rds", "routes from RDS are fetched only for listeners from the control plane (LDS over the xDS client); a static listener needs route_config, so it is left out");
        manager.Unsupported("scoped_routes", "scoped routes are not supported; the listener is left out");
        manager.Finish();
        if (routes is null)
        {
            if (!manager.Has("rds") && !manager.Has("scoped_routes"))
            {
                context.Refuse(manager.PathOf("route_config"), manager.Position, "missing required key (route_config or rds)");
            }

            return false;
        }

        return EnvoyRouteTranslator.TranslateRouteConfig(routes, http);
    }

    /// <summary>The router must be the last HTTP filter; the filters before it are left out or refused.</summary>
    private static bool HttpFilters(SourceTable manager)
    {
        var filters = manager.Children("http_filters").ToList();
        if (filters.Count == 0)
        {
            manager.Context.Refuse(manager.PathOf("http_filters"), manager.Position, "the router filter is required (Envoy needs it last)");
            return false;
        }

        for (var i = 0; i < filters.Count - 1; i++)
        {
            EnvoyListenerTranslator.LeaveOutFilter(filters[i], "HTTP");
        }

        var last = filters[^1];
        var type = EnvoyExtension.TypeOf(last, out var typed);
        if (type != EnvoyExtension.Router)
        {
            EnvoyListenerTranslator.LeaveOutFilter(last, "HTTP");
            manager.Context.Refuse(last.Path, last.Position, "the last HTTP filter must be the router (envoy.filters.http.router)");
            return false;
        }

        typed?.TakeAll();
        last.Ignore("name");
        last.Finish();
        return true;
    }

    /// <summary>The first file, stdout or stderr logger becomes the listener's access log; its format is kept
    /// when MeshEdge knows every operator in it.</summary>
    private static void AccessLogs(SourceTable manager, TargetTable http)
    {
        var taken = false;
        foreach (var log in manager.Children("access_log"))
        {
            var type = EnvoyExtension.TypeOf(log, out var typed);
            log.Ignore("name");
            log.Unsupported("filter", "access log filters are not supported; every request is logged");
            log.Finish();
            if (taken || typed is null || type is not (EnvoyExtension.FileAccessLog or EnvoyExtension.StdoutAccessLog or EnvoyExtension.StderrAccessLog))
            {
                typed?.TakeAll();
                log.Context.Unsupported(log.Path, log.Position, taken ? "one access log per listener is supported; left out" : $"access logger {type} is not supported; left out");
                continue;
            }

            taken = true;
            typed.Ignore("@type");
            var table = http.Child("access_log", log.Path, log.Position);
            var path = type == EnvoyExtension.FileAccessLog ? typed.String("path") : type == EnvoyExtension.StdoutAccessLog ? "stdout" : "stderr";
            table.Set("path", path is "/dev/stdout" ? "stdout" : path is "/dev/stderr" ? "stderr" : path ?? "stdout", typed.Position, typed.PathOf("path"));
            var format = typed.String("format") ?? typed.Child("log_format")?.Child("text_format_source")?.String("inline_string");
            if (format is not null)
            {
                AccessLogFormat.Parse(format.TrimEnd('\n'), AccessLogDialect.Http, out var problem);
                if (problem is null)
                {
                    table.Set("format", format.TrimEnd('\n'), typed.Position, typed.PathOf("log_format"));
                }
                else
                {
                    log.Context.Unsupported(typed.PathOf("log_format"), typed.Position, $"{problem}; the default format is used");
                }
            }

            typed.Finish();
        }
    }
}
