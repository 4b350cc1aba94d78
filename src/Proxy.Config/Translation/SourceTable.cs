using MeshEdge.Config.Binding;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Translation;

/// <summary>
/// Reads one table of a foreign config, remembering the keys taken; <see cref="Finish"/> reports
/// every other key as unsupported, so nothing is left out without a word. Envoy accepts a field
/// under its proto name and its lowerCamelCase JSON name alike (config dumps use either), so both
/// spellings are looked up.
/// </summary>
internal sealed class SourceTable(ConfigTable table, string path, TranslationContext context)
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    public ConfigTable Table { get; } = table;

    public string Path { get; } = path;

    public TranslationContext Context { get; } = context;

    public SourcePosition Position => Table.Position;

    /// <summary>MOSN reads its JSON with Go's encoding/json, which matches keys regardless of case ("Name").</summary>
    public bool IgnoreCase { get; init; }

    /// <summary>The node under <paramref name="key"/> (or its camelCase spelling); null when absent.</summary>
    public ConfigNode? Find(string key)
    {
        if (Table.TryGet(key, out var node))
        {
            _taken.Add(key);
            return node;
        }

        if (FindCamel(key) is { } camel)
        {
            _taken.Add(camel.Key);
            return camel.Value;
        }

        if (IgnoreCase && Table.Entries.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)) is { } entry)
        {
            _taken.Add(entry.Key);
            return entry.Value;
        }

        return null;
    }

    public bool Has(string key) =>
        Table.TryGet(key, out _) || FindCamel(key) is not null
        || (IgnoreCase && Table.Entries.Any(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The path of <paramref name="key"/> as the file spells it.</summary>
    public string PathOf(string key) => KeyPath.Child(Path, SpellingOf(key));

    private string SpellingOf(string key)
    {
        if (Table.TryGet(key, out _))
        {
            return key;
        }

        if (FindCamel(key) is { } camel)
        {
            return camel.Key;
        }

        return IgnoreCase && Table.Entries.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)) is { } entry
            ? entry.Key
            : key;
    }

    public SourcePosition PositionOf(string key) => Find(key)?.Position is { IsKnown: true } at ? at : Position;

    public string? String(string key) =>
        Find(key) is { } node && NodeConverter.TryString(node, PathOf(key), Context.Errors, out var value) ? value : null;

    /// <summary>A nested table; null when absent or not a table (reported).</summary>
    public SourceTable? Child(string key) =>
        Find(key) is { } node && NodeConverter.TryTable(node, PathOf(key), Context.Errors, out var child)
            ? new SourceTable(child, PathOf(key), Context) { IgnoreCase = IgnoreCase }
            : null;

    /// <summary>Every table of an array (absent: none).</summary>
    public IEnumerable<SourceTable> Children(string key)
    {
        if (Find(key) is not { } node || !NodeConverter.TryArray(node, PathOf(key), Context.Errors, out var array))
        {
            yield break;
        }

        var arrayPath = PathOf(key);
        for (var i = 0; i < array.Items.Count; i++)
        {
            if (NodeConverter.TryTable(array.Items[i], KeyPath.Index(arrayPath, i), Context.Errors, out var item))
            {
                yield return new SourceTable(item, KeyPath.Index(arrayPath, i), Context) { IgnoreCase = IgnoreCase };
            }
        }
    }

    /// <summary>Takes keys that need no translation (names for stats, descriptions).</summary>
    public void Ignore(params ReadOnlySpan<string> keys)
    {
        foreach (var key in keys)
        {
            Find(key);
        }
    }

    /// <summary>Reports <paramref name="key"/>, when present, as left out for <paramref name="reason"/>.</summary>
    public void Unsupported(string key, string reason)
    {
        if (Find(key) is { } node)
        {
            Context.Unsupported(PathOf(key), node.Position, reason);
        }
    }

    /// <summary>Refuses the config when <paramref name="key"/> is present: it carries security that cannot be honoured.</summary>
    public void Refuse(string key, string reason)
    {
        if (Find(key) is { } node)
        {
            Context.Refuse(PathOf(key), node.Position, reason);
        }
    }

    /// <summary>Every key not taken is reported as not supported.</summary>
    public void Finish()
    {
        foreach (var entry in Table.Entries)
        {
            if (!_taken.Contains(entry.Key))
            {
                Context.Unsupported(KeyPath.Child(Path, entry.Key), entry.KeyPosition, "not supported; left out");
            }
        }
    }

    /// <summary>Marks every key as taken, for a table that was handled (or reported) as a whole.</summary>
    public void TakeAll()
    {
        foreach (var entry in Table.Entries)
        {
            _taken.Add(entry.Key);
        }
    }

    /// <summary>
    /// The entry under <paramref name="key"/>'s lowerCamelCase spelling ("lb_policy" as "lbPolicy"), null
    /// when the key has no other spelling or the table has none: spelled on the stack, looked up by span,
    /// so the many keys a translator asks for and does not find cost no string each.
    /// </summary>
    private ConfigEntry? FindCamel(string key)
    {
        if (!key.Contains('_', StringComparison.Ordinal))
        {
            return null;
        }

        var camel = key.Length <= 128 ? stackalloc char[key.Length] : new char[key.Length];
        var length = 0;
        var upper = false;
        foreach (var c in key)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            camel[length++] = upper ? char.ToUpperInvariant(c) : c;
            upper = false;
        }

        return Table.TryGet(camel[..length], out ConfigEntry? entry) ? entry : null;
    }
}
