namespace MeshEdge.Config.Tree;

/// <summary>An ordered list of values: a TOML array or array of tables, or JSON children "0", "1"...</summary>
internal sealed class ConfigArray(SourcePosition position) : ConfigNode(position)
{
    private readonly List<ConfigNode> _items = [];

    public IReadOnlyList<ConfigNode> Items => _items;

    public override string TypeName => "array";

    public void Add(ConfigNode item) => _items.Add(item);
}
