using MeshEdge.Config.Tree;

namespace MeshEdge.Native.Xds;

/// <summary>Small reads and copy-on-write edits of config trees (a cached resource's tree is never changed).</summary>
internal static class XdsTree
{
    public static ConfigNode? Get(ConfigTable table, string key) => table.TryGet(key, out var value) ? value : null;

    public static string? Text(ConfigTable table, string key) => (Get(table, key) as ConfigScalar)?.Text;

    public static ConfigTable? Table(ConfigTable table, string key) => Get(table, key) as ConfigTable;

    public static IEnumerable<ConfigTable> Tables(ConfigTable table, string key) =>
        Get(table, key) is ConfigArray array ? array.Items.OfType<ConfigTable>() : [];

    /// <summary>A shallow copy without <paramref name="drop"/> keys, with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public static ConfigTable With(ConfigTable source, string? key, ConfigNode? value, params string[] drop)
    {
        var copy = new ConfigTable(source.Position);
        foreach (var entry in source.Entries)
        {
            if (entry.Key != key && Array.IndexOf(drop, entry.Key) < 0)
            {
                copy.TryAdd(entry.Key, entry.Value, entry.KeyPosition);
            }
        }

        if (key is not null && value is not null)
        {
            copy.TryAdd(key, value, SourcePosition.None);
        }

        return copy;
    }

    public static ConfigArray ArrayOf(IEnumerable<ConfigNode> items)
    {
        var array = new ConfigArray(SourcePosition.None);
        foreach (var item in items)
        {
            array.Add(item);
        }

        return array;
    }

    public static ConfigScalar String(string text) => new(ScalarKind.String, text, SourcePosition.None);

    /// <summary>Every value under a key named <paramref name="key"/>, at any depth (cluster names a route or tcp_proxy uses).</summary>
    public static void CollectValues(ConfigNode node, string key, HashSet<string> into)
    {
        switch (node)
        {
            case ConfigTable table:
                foreach (var entry in table.Entries)
                {
                    if (entry.Key == key && entry.Value is ConfigScalar scalar)
                    {
                        into.Add(scalar.Text);
                    }
                    else
                    {
                        CollectValues(entry.Value, key, into);
                    }
                }

                break;
            case ConfigArray array:
                foreach (var item in array.Items)
                {
                    CollectValues(item, key, into);
                }

                break;
        }
    }
}
