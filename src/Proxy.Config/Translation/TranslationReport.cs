using System.Collections.Immutable;

namespace MeshEdge.Config.Translation;

/// <summary>
/// How much of a foreign config (Envoy, MOSN) was translated: per resource type, how many were
/// taken whole, taken with parts left out, or left out; and every key left out, by path.
/// </summary>
/// <param name="Format">What the file was read as ("Envoy v3 bootstrap", "MOSN").</param>
public sealed record TranslationReport(string Format, ImmutableArray<ResourceSupport> Resources, ImmutableArray<ConfigError> Unsupported)
{
    internal static TranslationReport Build(string format, List<(string Type, string Path, bool Skipped)> resources,
        List<ConfigError> unsupported, IReadOnlyList<ConfigError> errors)
    {
        var types = new List<ResourceSupport>();
        string[] order = ["listener", "route", "cluster"];
        foreach (var group in resources.GroupBy(r => r.Type).OrderBy(g => Array.IndexOf(order, g.Key) is var i && i < 0 ? order.Length : i))
        {
            int whole = 0, partly = 0, skipped = 0;
            foreach (var (_, path, isSkipped) in group)
            {
                if (isSkipped || errors.Any(e => IsUnder(e.Path, path)))
                {
                    skipped++;
                }
                else if (unsupported.Any(u => IsUnder(u.Path, path)))
                {
                    partly++;
                }
                else
                {
                    whole++;
                }
            }

            types.Add(new ResourceSupport(group.Key, whole, partly, skipped));
        }

        return new TranslationReport(format, [.. types], [.. unsupported]);
    }

    private static bool IsUnder(string path, string resource) =>
        path == resource
        || (path.StartsWith(resource, StringComparison.Ordinal) && path.Length > resource.Length && path[resource.Length] is '.' or '[');
}
