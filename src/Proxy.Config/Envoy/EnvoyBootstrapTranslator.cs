using System.Collections.Immutable;
using MeshEdge.Config.Model;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// An Envoy v3 bootstrap into MeshEdge's tree: <c>admin</c>, <c>static_resources</c> (listeners,
/// clusters) and the <c>node</c>; <c>dynamic_resources</c> is recorded for the xDS client to come and
/// reported as not yet supported, while the static part runs. Every other key is reported by path.
/// </summary>
internal static class EnvoyBootstrapTranslator
{
    public const string Format = "Envoy v3 bootstrap";

    public static TranslatedConfig Translate(SourceTable bootstrap)
    {
        var root = TargetTable.Root(bootstrap.Context.Paths);
        var listeners = root.Array("listeners", bootstrap.PathOf("static_resources") + ".listeners");
        var clusters = root.Array("clusters", bootstrap.PathOf("static_resources") + ".clusters");
        if (bootstrap.Child("static_resources") is { } resources)
        {
            StaticResources(resources, listeners, clusters);
        }

        return TranslateNodeAndAds(bootstrap, root);
    }

    /// <summary>The bootstrap without its static resources: node, admin, dynamic_resources; the rest is reported.</summary>
    public static TranslatedConfig TranslateNodeAndAds(SourceTable bootstrap, TargetTable root)
    {
        var node = ReadNode(bootstrap.Child("node"));
        if (bootstrap.Child("admin") is { } admin)
        {
            Admin(admin, root);
        }

        var ads = DynamicResources(bootstrap);
        bootstrap.Ignore("static_resources");
        bootstrap.Finish();
        return new TranslatedConfig(root.Table, node, ads);
    }

    public static void StaticResources(SourceTable resources, TargetArray listeners, TargetArray clusters)
    {
        foreach (var cluster in resources.Children("clusters"))
        {
            EnvoyClusterTranslator.Translate(cluster, clusters);
        }

        foreach (var listener in resources.Children("listeners"))
        {
            EnvoyListenerTranslator.Translate(listener, listeners);
        }

        resources.Unsupported("secrets", "static secrets (TLS material) are not supported yet");
        resources.Finish();
    }

    public static void Admin(SourceTable admin, TargetTable root)
    {
        if (EnvoyAddress.Read(admin.Child("address"), "the admin listener") is { } address)
        {
            root.Child("admin", admin.Path, admin.Position).Set("address", address, admin.PathOf("address"));
        }

        admin.Ignore("access_log_path", "access_log", "profile_path");
        admin.Finish();
    }

    private static NodeConfig? ReadNode(SourceTable? node)
    {
        if (node is null)
        {
            return null;
        }

        var id = node.String("id") ?? "";
        var cluster = node.String("cluster") ?? "";
        var metadata = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        if (node.Find("metadata") is ConfigTable table)
        {
            Flatten(table, "", metadata);
        }

        // Descriptive fields the xDS client will fill in itself.
        node.Ignore("locality", "user_agent_name", "user_agent_version", "user_agent_build_version", "build_version", "extensions", "client_features", "listening_addresses");
        node.Finish();
        return new NodeConfig(id, cluster, metadata.ToImmutable());
    }

    private static void Flatten(ConfigNode node, string path, ImmutableArray<KeyValuePair<string, string>>.Builder into)
    {
        switch (node)
        {
            case ConfigTable table:
                foreach (var entry in table.Entries)
                {
                    Flatten(entry.Value, path.Length == 0 ? entry.Key : $"{path}.{entry.Key}", into);
                }

                break;
            case ConfigArray array:
                for (var i = 0; i < array.Items.Count; i++)
                {
                    Flatten(array.Items[i], KeyPath.Index(path, i), into);
                }

                break;
            case ConfigScalar scalar:
                into.Add(new KeyValuePair<string, string>(path, scalar.Text));
                break;
        }
    }

    /// <summary>Records ADS (its API type and cluster) and reports that xDS is not yet served.</summary>
    private static AdsConfig? DynamicResources(SourceTable bootstrap)
    {
        if (bootstrap.Child("dynamic_resources") is not { } dynamic)
        {
            return null;
        }

        AdsConfig? ads = null;
        if (dynamic.Child("ads_config") is { } config)
        {
            var apiType = config.String("api_type") ?? "GRPC";
            var cluster = config.Children("grpc_services").Select(s => s.Child("envoy_grpc")?.String("cluster_name")).FirstOrDefault(c => c is not null);
            ads = new AdsConfig(apiType, cluster is null ? "" : EnvoyNames.Safe(cluster));
            config.TakeAll();
        }

        dynamic.TakeAll();
        dynamic.Context.Unsupported(dynamic.Path, dynamic.Position,
            "the xDS client is not yet supported: listeners, routes and clusters from the control plane are not fetched; the static resources run");
        return ads;
    }
}
