using System.Diagnostics.CodeAnalysis;

namespace MeshEdge.Config.Tree;

/// <summary>Keys to values, in document order (errors about unknown keys then come out in that order).</summary>
internal sealed class ConfigTable(SourcePosition position) : ConfigNode(position)
{
    private readonly List<ConfigEntry> _entries = [];
    private readonly Dictionary<string, ConfigEntry> _byKey = new(StringComparer.Ordinal);

    public IReadOnlyList<ConfigEntry> Entries => _entries;

    public override string TypeName => "table";

    /// <summary>Adds a key; false when the key is already present (the caller reports it).</summary>
    public bool TryAdd(string key, ConfigNode value, SourcePosition keyPosition)
    {
        var entry = new ConfigEntry(key, value, keyPosition);
        if (!_byKey.TryAdd(key, entry))
        {
            return false;
        }

        _entries.Add(entry);
        return true;
    }

    public bool TryGet(string key, [NotNullWhen(true)] out ConfigNode? value)
    {
        if (_byKey.TryGetValue(key, out var entry))
        {
            value = entry.Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>
    /// The entry whose key spells <paramref name="key"/>, looked up without making a string of it (a
    /// translator tries each key's second spelling, usually absent, for every table it reads).
    /// </summary>
    public bool TryGet(ReadOnlySpan<char> key, [NotNullWhen(true)] out ConfigEntry? entry) =>
        _byKey.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out entry);

    /// <summary>Where the value under <paramref name="key"/> is, else where this table is.</summary>
    public SourcePosition PositionOf(string key) =>
        TryGet(key, out var value) && value.Position.IsKnown ? value.Position : Position;
}
