using System.Collections.Immutable;

namespace MeshEdge.Config.Translation;

/// <summary>
/// Where each part of a translated tree came from: MeshEdge key path -> source key path. The
/// binder's errors are written against the MeshEdge paths; <see cref="Rewrite"/> turns them back into
/// the paths of the file the user wrote.
/// </summary>
internal sealed class PathMap
{
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, string>> Entries => _sources;

    public void Add(string targetPath, string sourcePath) => _sources[targetPath] = sourcePath;

    public ImmutableArray<ConfigError> Rewrite(ImmutableArray<ConfigError> errors) =>
        [.. errors.Select(e => e with { Path = SourceOf(e.Path) })];

    /// <summary>The source of the longest mapped prefix of <paramref name="targetPath"/>, with what follows it.</summary>
    public string SourceOf(string targetPath)
    {
        for (var end = targetPath.Length; end > 0; end = LastBoundary(targetPath, end))
        {
            if (_sources.TryGetValue(targetPath[..end], out var source))
            {
                return source + targetPath[end..];
            }
        }

        return targetPath;
    }

    private static int LastBoundary(string path, int end)
    {
        for (var i = end - 1; i > 0; i--)
        {
            if (path[i] is '.' or '[')
            {
                return i;
            }
        }

        return 0;
    }
}
