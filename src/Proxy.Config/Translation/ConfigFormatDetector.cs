using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Translation;

/// <summary>
/// Tells MeshEdge's own schema from Envoy's and MOSN's by the top-level keys, which none of them
/// share in a way that matters: MOSN has <c>servers</c> (or <c>cluster_manager</c>, which a bootstrap has too, but beside its own keys), an Envoy config dump
/// <c>configs</c>, a bootstrap <c>static_resources</c>/<c>dynamic_resources</c>/<c>node</c> or an
/// <c>admin</c> whose address is a table (MeshEdge's is "ip:port" text).
/// </summary>
internal static class ConfigFormatDetector
{
    public static ConfigFormat Detect(ConfigTable root)
    {
        if (root.TryGet("servers", out _))
        {
            return ConfigFormat.Mosn;
        }

        if (root.TryGet("configs", out var configs) && configs is ConfigArray)
        {
            return ConfigFormat.EnvoyConfigDump;
        }

        foreach (var key in new[] { "static_resources", "staticResources", "dynamic_resources", "dynamicResources", "node" })
        {
            if (root.TryGet(key, out _))
            {
                return ConfigFormat.EnvoyBootstrap;
            }
        }

        if (root.TryGet("cluster_manager", out _))
        {
            return ConfigFormat.Mosn;
        }

        return root.TryGet("admin", out var admin) && admin is ConfigTable adminTable
            && adminTable.TryGet("address", out var address) && address is ConfigTable
            ? ConfigFormat.EnvoyBootstrap
            : ConfigFormat.MeshEdge;
    }
}
