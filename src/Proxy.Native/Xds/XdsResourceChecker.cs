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
    public static string? Check(XdsResourceType type, ConfigTable tree, ref long optionalSkipped)
    {
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

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}
