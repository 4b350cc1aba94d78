using MeshEdge.Config.Translation;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// An Envoy admin <c>/config_dump</c> (<c>{ configs: [ typed dumps ] }</c>): the bootstrap, and the
/// static and dynamic listeners and clusters, translated as if they were static resources, so that
/// <c>meshedge validate</c> says how much of a running Envoy (an Istio sidecar) MeshEdge could serve.
/// </summary>
internal static class EnvoyConfigDumpTranslator
{
    public const string Format = "Envoy config dump";

    private const string AdminPrefix = "envoy.admin.v3.";

    public static TranslatedConfig Translate(SourceTable dump)
    {
        var root = TargetTable.Root(dump.Context.Paths);
        var listeners = root.Array("listeners", dump.PathOf("configs"));
        var clusters = root.Array("clusters", dump.PathOf("configs"));
        TranslatedConfig? bootstrap = null;
        foreach (var config in dump.Children("configs"))
        {
            var type = EnvoyExtension.TypeName(config.String("@type") ?? "");
            config.Ignore("version_info", "last_updated");
            switch (type)
            {
                case AdminPrefix + "BootstrapConfigDump" when config.Child("bootstrap") is { } inner:
                    // The dump repeats the bootstrap's static listeners and clusters as static_listeners and
                    // static_clusters, so only node, admin and dynamic_resources come from it.
                    bootstrap = EnvoyBootstrapTranslator.TranslateNodeAndAds(inner, root);
                    break;
                case AdminPrefix + "ClustersConfigDump":
                    Each(config, "static_clusters", "cluster", c => EnvoyClusterTranslator.Translate(c, clusters));
                    Each(config, "dynamic_active_clusters", "cluster", c => EnvoyClusterTranslator.Translate(c, clusters));
                    config.Unsupported("dynamic_warming_clusters", "warming clusters are not served");
                    break;
                case AdminPrefix + "ListenersConfigDump":
                    Each(config, "static_listeners", "listener", l => EnvoyListenerTranslator.Translate(l, listeners));
                    foreach (var dynamic in config.Children("dynamic_listeners"))
                    {
                        dynamic.Ignore("name");
                        Each(dynamic, "active_state", "listener", l => EnvoyListenerTranslator.Translate(l, listeners), single: true);
                        dynamic.Unsupported("warming_state", "warming listeners are not served");
                        dynamic.Unsupported("draining_state", "draining listeners are not served");
                        dynamic.Finish();
                    }

                    break;
                default:
                    config.TakeAll();
                    config.Context.Unsupported(config.Path, config.Position, $"{(type.Length > 0 ? type : "an untyped dump")} is not supported (routes from RDS, endpoints from EDS and secrets need the xDS client)");
                    break;
            }

            config.Finish();
        }

        dump.Finish();
        return new TranslatedConfig(root.Table, bootstrap?.Node, bootstrap?.Ads);
    }

    private static void Each(SourceTable config, string key, string inner, Action<SourceTable> translate, bool single = false)
    {
        var items = single ? (config.Child(key) is { } one ? [one] : []) : config.Children(key);
        foreach (var item in items)
        {
            item.Ignore("version_info", "last_updated", "client_status", "error_state");
            if (item.Child(inner) is { } resource)
            {
                translate(resource);
            }

            item.Finish();
        }
    }
}
