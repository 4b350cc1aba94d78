using MeshEdge.Config.Binding;
using MeshEdge.Config.Envoy;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Native.Xds;

/// <summary>
/// Checks one resource on its own, so that a response's invalid resources can be NACKed while its
/// valid ones are applied (gRPC A46, as Envoy does): the filter policy for listeners, then the file
/// translator's refusals (what carries security or cannot be read) for every type. References to
/// other resources are checked later, when the whole config is bound.
/// </summary>
internal static class XdsResourceChecker
{
    /// <summary>Null when the resource may be applied, else every reason it may not, joined.</summary>
    public static string? Check(XdsResourceType type, ConfigTable tree, ref long optionalSkipped) => Check(type, tree, ref optionalSkipped, out _);

    /// <summary>
    /// As <see cref="Check(XdsResourceType, ConfigTable, ref long)"/>; for a valid cluster or
    /// ClusterLoadAssignment also what its translation binds to alone (<paramref name="alone"/>), which
    /// the assembly composes instead of translating the pair again. Null when the binder finds a problem
    /// (the whole path then reports it as before) or the cluster carries TLS (whose material the whole
    /// config resolves).
    /// </summary>
    public static string? Check(XdsResourceType type, ConfigTable tree, ref long optionalSkipped, out XdsBoundAlone? alone)
    {
        alone = null;
        if (type == XdsResourceType.Secrets)
        {
            return XdsSecretChecker.Check(tree);
        }

        var problems = new List<string>();
        if (type == XdsResourceType.Listeners)
        {
            problems.AddRange(XdsFilterPolicy.Check(tree, ref optionalSkipped));
        }

        var errors = new ConfigErrorList("xds");
        var context = new TranslationContext(errors, "xDS");
        var scratch = TargetTable.Root(context.Paths);
        if (type == XdsResourceType.Clusters)
        {
            EnvoyClusterTranslator.Translate(new SourceTable(tree, "", context), scratch.Array("clusters", ""));
        }
        else if (type == XdsResourceType.Endpoints)
        {
            var cluster = XdsTree.With(new ConfigTable(SourcePosition.None), "load_assignment", tree);
            cluster.TryAdd("name", XdsTree.String(XdsTree.Text(tree, "cluster_name") ?? "endpoints"), SourcePosition.None);
            cluster.TryAdd("type", XdsTree.String("EDS"), SourcePosition.None);
            EnvoyClusterTranslator.Translate(new SourceTable(cluster, "", context), scratch.Array("clusters", ""));
        }
        else if (type == XdsResourceType.Listeners)
        {
            EnvoyListenerTranslator.Translate(new SourceTable(tree, "", context), scratch.Array("listeners", ""));
        }
        else
        {
            EnvoyRouteTranslator.TranslateRouteConfig(new SourceTable(tree, "", context), scratch.Child("http", ""));
        }

        foreach (var error in errors.ToImmutable())
        {
            var problem = error.Path.Length > 0 ? $"{error.Path}: {error.Reason}" : error.Reason;
            if (!problems.Any(p => p.StartsWith(error.Path + ":", StringComparison.Ordinal)))
            {
                problems.Add(problem);
            }
        }

        if (problems.Count > 0)
        {
            return string.Join("; ", problems);
        }

        if ((type == XdsResourceType.Clusters && !CarriesTls(tree)) || type == XdsResourceType.Endpoints)
        {
            // The binder's errors about one cluster (its durations, addresses, ports) are that resource's
            // own, whatever else the config holds: NACKed by name here (A46) rather than found later in
            // the whole config, which would refuse every resource of the response with it.
            var bindErrors = new ConfigErrorList("xds");
            alone = Bind(type, scratch, bindErrors);
            if (bindErrors.Count > 0)
            {
                alone = null;
                return string.Join("; ", context.Paths.Rewrite(bindErrors.ToImmutable()).Select(e => e.Path.Length > 0 ? $"{e.Path}: {e.Reason}" : e.Reason));
            }
        }

        return null;
    }

    /// <summary>The translated cluster bound alone, its problems into <paramref name="errors"/>.</summary>
    private static XdsBoundAlone? Bind(XdsResourceType type, TargetTable scratch, ConfigErrorList errors)
    {
        if (!scratch.Table.TryGet("clusters", out var node) || node is not ConfigArray { Items: var items } || items.Count == 0 || items[0] is not ConfigTable table)
        {
            // Left out by the translator (a cluster type MeshEdge does not serve): so is it in a whole load.
            return type == XdsResourceType.Clusters ? new XdsBoundAlone(null, []) : null;
        }

        var config = ClusterBinder.Bind(table, "clusters[0]", errors);
        return type == XdsResourceType.Clusters ? new XdsBoundAlone(config, []) : new XdsBoundAlone(null, config.Hosts);
    }

    private static bool CarriesTls(ConfigTable cluster) =>
        cluster.TryGet("transport_socket", out _) || cluster.TryGet("transport_socket_matches", out _);
}
