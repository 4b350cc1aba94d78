using MeshEdge.Config.Envoy;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Mosn;

/// <summary>
/// A MOSN JSON config into MeshEdge's tree: the first server's listeners (the <c>proxy</c> network
/// filter, HTTP/1 or Bolt), its <c>routers</c> (and routes written in a <c>connection_manager</c>
/// filter, MOSN's older form), <c>cluster_manager.clusters</c> and <c>admin</c>. Every other key is
/// reported by path.
/// </summary>
internal static class MosnTranslator
{
    public const string Format = "MOSN";

    private static readonly Dictionary<string, string> LogLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TRACE"] = "trace",
        ["DEBUG"] = "debug",
        ["INFO"] = "info",
        ["WARN"] = "warn",
        ["ERROR"] = "error",
        ["FATAL"] = "error",
    };

    public static TranslatedConfig Translate(SourceTable mosn)
    {
        var root = TargetTable.Root(mosn.Context.Paths);
        var listeners = root.Array("listeners", mosn.PathOf("servers"));
        var clusters = root.Array("clusters", mosn.PathOf("cluster_manager"));
        var first = true;
        foreach (var server in mosn.Children("servers"))
        {
            if (!first)
            {
                server.Context.Unsupported(server.Path, server.Position, "MOSN serves one server; this one is left out");
                server.TakeAll();
                continue;
            }

            first = false;
            Server(server, root, listeners);
        }

        if (mosn.Child("cluster_manager") is { } manager)
        {
            foreach (var cluster in manager.Children("clusters"))
            {
                MosnClusterTranslator.Translate(cluster, clusters);
            }

            manager.Finish();
        }

        if (mosn.Child("admin") is { } admin)
        {
            EnvoyBootstrapTranslator.Admin(admin, root);
        }

        mosn.Finish();
        return new TranslatedConfig(root.Table, null, null);
    }

    private static void Server(SourceTable server, TargetTable root, TargetArray listeners)
    {
        server.Ignore("mosn_server_name", "server_name", "default_log_path", "default_log_roller");
        if (server.String("default_log_level") is { } level)
        {
            if (LogLevels.TryGetValue(level, out var mapped))
            {
                root.Child("runtime", server.Path).Set("log_level", mapped, server.PositionOf("default_log_level"), server.PathOf("default_log_level"));
            }
            else
            {
                server.Context.Unsupported(server.PathOf("default_log_level"), server.PositionOf("default_log_level"), $"log level {level} is not known; info is used");
            }
        }

        if (server.Find("processor") is ConfigScalar processor)
        {
            root.Child("runtime", server.Path).Set("workers", processor, server.PathOf("processor"));
        }

        if (server.Find("graceful_timeout") is ConfigScalar graceful)
        {
            root.Child("runtime", server.Path).Set("drain_timeout", graceful, server.PathOf("graceful_timeout"));
        }

        var routers = MosnRouterTable.Collect(server);
        foreach (var listener in server.Children("listeners"))
        {
            MosnListenerTranslator.Translate(listener, listeners, routers);
        }

        server.Finish();
    }
}
