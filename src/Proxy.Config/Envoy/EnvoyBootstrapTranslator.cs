using System.Collections.Immutable;
using MeshEdge.Config.Model;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// An Envoy v3 bootstrap into MeshEdge's tree: <c>admin</c>, <c>static_resources</c> (listeners,
/// clusters, secrets) and the <c>node</c>; <c>dynamic_resources</c> with an ADS source is recorded for the xDS
/// client (Native/Xds), which adds what the control plane sends to the static part. Every other key is
/// reported by path.
/// </summary>
internal static class EnvoyBootstrapTranslator
{
    public const string Format = "Envoy v3 bootstrap";

    public static TranslatedConfig Translate(SourceTable bootstrap)
    {
        var root = TargetTable.Root(bootstrap.Context.Paths);
        var listeners = root.Array("listeners", bootstrap.PathOf("static_resources") + ".listeners");
        var clusters = root.Array("clusters", bootstrap.PathOf("static_resources") + ".clusters");
        TargetArray? secrets = null;
        if (bootstrap.Child("static_resources") is { } resources)
        {
            StaticResources(resources, listeners, clusters);
            foreach (var secret in resources.Children("secrets"))
            {
                secrets ??= root.Array("secrets", resources.PathOf("secrets"));
                EnvoySecretTranslator.Translate(secret, secrets);
            }
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

        resources.Ignore("secrets");
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

    /// <summary>Records ADS (its API type and cluster) for the xDS client; listeners and clusters from any
    /// other source (files, REST, a non-aggregated gRPC source) are reported as not supported.</summary>
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
            if (apiType is not ("GRPC" or "DELTA_GRPC"))
            {
                config.Context.Unsupported(config.PathOf("api_type"), config.PositionOf("api_type"), $"ADS over {apiType} is not supported (GRPC and DELTA_GRPC are); nothing is fetched");
            }
            else if (cluster is null)
            {
                config.Context.Unsupported(config.PathOf("grpc_services"), config.Position, "ADS is reached through a static cluster (envoy_grpc.cluster_name); nothing is fetched");
            }
            else
            {
                ads = new AdsConfig(apiType, EnvoyNames.Safe(cluster));
            }

            config.TakeAll();
        }

        foreach (var key in new[] { "cds_config", "lds_config" })
        {
            if (dynamic.Child(key) is not { } source)
            {
                continue;
            }

            if (source.Child("ads") is not null && ads is not null)
            {
                source.Ignore("initial_fetch_timeout", "resource_api_version");
                source.Finish();
            }
            else
            {
                source.TakeAll();
                source.Context.Unsupported(source.Path, source.Position, "only ADS (\"ads\": {} with an ads_config) is supported as a source of listeners and clusters; nothing is fetched from this one");
            }
        }

        dynamic.Finish();
        return ads;
    }
}
