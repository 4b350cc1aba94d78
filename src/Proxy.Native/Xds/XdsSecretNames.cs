using System.Runtime.CompilerServices;
using MeshEdge.Config.Tree;

namespace MeshEdge.Native.Xds;

/// <summary>
/// The secrets a cluster or listener resource waits for: the names of its TLS contexts'
/// <c>tls_certificate_sds_secret_configs</c> and <c>validation_context_sds_secret_config</c> (also
/// inside <c>combined_validation_context</c>) that have an <c>sds_config</c>; one without names a
/// static secret of the bootstrap, as in Envoy. Found once per resource (its tree is read when it
/// arrives, before it is compacted) and kept beside it.
/// </summary>
internal static class XdsSecretNames
{
    private static readonly ConditionalWeakTable<XdsResource, string[]> s_names = [];

    public static string[] Of(XdsResource resource) => s_names.GetValue(resource, static r => Find(r.Tree));

    /// <summary>Every secret the cached clusters (also the retired ones still served) and listeners wait for.</summary>
    public static IEnumerable<string> Wanted(XdsCache cache) =>
        cache.Of(XdsResourceType.Clusters).Values.Concat(cache.Retired.Values).Concat(cache.Of(XdsResourceType.Listeners).Values)
            .SelectMany(Of).Distinct(StringComparer.Ordinal);

    /// <summary>The dynamic secret names anywhere in <paramref name="tree"/>.</summary>
    public static string[] Find(ConfigTable tree)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        Walk(tree, found);
        return found.Count == 0 ? [] : [.. found];
    }

    private static void Walk(ConfigNode node, SortedSet<string> found)
    {
        switch (node)
        {
            case ConfigTable table:
                foreach (var entry in table.Entries)
                {
                    if (entry.Key is "tls_certificate_sds_secret_configs" or "validation_context_sds_secret_config")
                    {
                        foreach (var config in entry.Value is ConfigArray array ? array.Items.OfType<ConfigTable>() : entry.Value is ConfigTable one ? [one] : [])
                        {
                            if (XdsTree.Get(config, "sds_config") is not null && XdsTree.Text(config, "name") is { Length: > 0 } name)
                            {
                                found.Add(name);
                            }
                        }
                    }
                    else
                    {
                        Walk(entry.Value, found);
                    }
                }

                break;
            case ConfigArray list:
                foreach (var item in list.Items)
                {
                    Walk(item, found);
                }

                break;
        }
    }
}
