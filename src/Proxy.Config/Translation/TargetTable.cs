using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Translation;

/// <summary>
/// A table of the MeshEdge tree that a translation writes; every value written records the source
/// path it came from, so the binder's errors can be given back in the source's own terms.
/// </summary>
internal sealed class TargetTable(ConfigTable table, string path, PathMap paths)
{
    private readonly PathMap _paths = paths;

    public ConfigTable Table { get; } = table;

    public string Path { get; } = path;

    public static TargetTable Root(PathMap paths) => new(new ConfigTable(SourcePosition.None), "", paths);

    /// <summary>A table written apart (with its own path map) and then either dropped or <see cref="Adopt"/>ed.</summary>
    public static TargetTable Detached() => new(new ConfigTable(SourcePosition.None), "", new PathMap());

    /// <summary>Moves the keys of a <see cref="Detached"/> table into this one, with their sources.</summary>
    public void Adopt(TargetTable detached)
    {
        foreach (var entry in detached.Table.Entries)
        {
            Table.TryAdd(entry.Key, entry.Value, entry.KeyPosition);
        }

        foreach (var (target, source) in detached._paths.Entries)
        {
            _paths.Add(Path.Length == 0 ? target : $"{Path}.{target}", source);
        }
    }

    /// <summary>Writes <paramref name="value"/> under <paramref name="key"/>; a key written twice keeps the first.</summary>
    public void Set(string key, ConfigNode value, string sourcePath)
    {
        if (Table.TryAdd(key, value, value.Position))
        {
            _paths.Add(KeyPath.Child(Path, key), sourcePath);
        }
    }

    public void Set(string key, string text, SourcePosition at, string sourcePath) =>
        Set(key, new ConfigScalar(ScalarKind.String, text, at), sourcePath);

    /// <summary>Copies a source value as it is, when present.</summary>
    public void Copy(string key, SourceTable source, string sourceKey)
    {
        if (source.Find(sourceKey) is { } node)
        {
            Set(key, node, source.PathOf(sourceKey));
        }
    }

    /// <summary>
    /// Records where <paramref name="key"/> came from without setting it: a key the process names in
    /// errors found after loading (an inline certificate's <c>certificate_chain</c>, set as <c>certificate_chain_pem</c>).
    /// </summary>
    public void MapPath(string key, string sourcePath) => _paths.Add(KeyPath.Child(Path, key), sourcePath);

    public TargetTable Child(string key, string sourcePath, SourcePosition at = default)
    {
        if (Table.TryGet(key, out var existing) && existing is ConfigTable table)
        {
            return new TargetTable(table, KeyPath.Child(Path, key), _paths);
        }

        var child = new ConfigTable(at);
        Set(key, child, sourcePath);
        return new TargetTable(child, KeyPath.Child(Path, key), _paths);
    }

    public TargetArray Array(string key, string sourcePath, SourcePosition at = default)
    {
        if (Table.TryGet(key, out var existing) && existing is ConfigArray array)
        {
            return new TargetArray(array, KeyPath.Child(Path, key), _paths);
        }

        var created = new ConfigArray(at);
        Set(key, created, sourcePath);
        return new TargetArray(created, KeyPath.Child(Path, key), _paths);
    }
}
