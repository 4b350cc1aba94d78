using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Translation;

/// <summary>An array of the MeshEdge tree being written.</summary>
internal sealed class TargetArray(ConfigArray array, string path, PathMap paths)
{
    public int Count => array.Items.Count;

    public TargetTable AddTable(string sourcePath, SourcePosition at = default)
    {
        var table = new ConfigTable(at);
        Add(table, sourcePath);
        return new TargetTable(table, KeyPath.Index(path, array.Items.Count - 1), paths);
    }

    public void Add(ConfigNode value, string sourcePath)
    {
        array.Add(value);
        paths.Add(KeyPath.Index(path, array.Items.Count - 1), sourcePath);
    }
}
