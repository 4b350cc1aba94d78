using System.Net;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>
/// Reads the keys of one table, recording every key asked for; <see cref="ReportUnknownKeys"/> then
/// flags whatever was not asked for, so the schema lives in one place (the binder's reads) and a
/// typo can never be silently ignored.
/// </summary>
internal sealed class TableReader(ConfigTable table, string path, ConfigErrorList errors)
{
    private readonly List<string> _known = [];

    public ConfigTable Table { get; } = table;

    public string Path { get; } = path;

    public ConfigErrorList Errors { get; } = errors;

    public string ChildPath(string key) => KeyPath.Child(Path, key);

    /// <summary>The node under <paramref name="key"/>, or null when absent; marks the key as known.</summary>
    public ConfigNode? Find(string key)
    {
        _known.Add(key);
        return Table.TryGet(key, out var node) ? node : null;
    }

    /// <summary>Like <see cref="Find"/>, but an absent key is an error.</summary>
    public ConfigNode? FindRequired(string key)
    {
        var node = Find(key);
        if (node is null)
        {
            Errors.Add(ChildPath(key), Table.Position, "missing required key");
        }

        return node;
    }

    public string? RequiredString(string key) =>
        FindRequired(key) is { } node && NodeConverter.TryString(node, ChildPath(key), Errors, out var value) ? value : null;

    /// <summary>A required listener or cluster name; null when missing or invalid.</summary>
    public string? RequiredName(string key)
    {
        var name = RequiredString(key);
        if (name is not null && !ConfigNames.IsValid(name))
        {
            Errors.Add(ChildPath(key), Table.PositionOf(key), $"{ConfigScalar.Quote(name)} is not a valid name ({ConfigNames.Rule})");
            return null;
        }

        return name;
    }

    public string? OptionalString(string key) =>
        Find(key) is { } node && NodeConverter.TryString(node, ChildPath(key), Errors, out var value) ? value : null;

    public bool Bool(string key, bool fallback) =>
        Find(key) is { } node && NodeConverter.TryBool(node, ChildPath(key), Errors, out var value) ? value : fallback;

    /// <summary>An array of strings; null when absent. Items of the wrong type are reported and skipped.</summary>
    public List<string>? StringArray(string key)
    {
        if (OptionalArray(key) is not { } array)
        {
            return null;
        }

        var strings = new List<string>(array.Items.Count);
        for (var i = 0; i < array.Items.Count; i++)
        {
            if (NodeConverter.TryString(array.Items[i], KeyPath.Index(ChildPath(key), i), Errors, out var value))
            {
                strings.Add(value);
            }
        }

        return strings;
    }

    /// <summary>Every item of an array of tables (absent: none), each with its path; non-tables are reported and skipped.</summary>
    public IEnumerable<TableReader> TableArray(string key)
    {
        if (OptionalArray(key) is not { } array)
        {
            yield break;
        }

        for (var i = 0; i < array.Items.Count; i++)
        {
            var path = KeyPath.Index(ChildPath(key), i);
            if (NodeConverter.TryTable(array.Items[i], path, Errors, out var table))
            {
                yield return new TableReader(table, path, Errors);
            }
        }
    }

    /// <summary>A nested table as a reader of its own; null when absent or not a table.</summary>
    public TableReader? OptionalTableReader(string key) =>
        OptionalTable(key) is { } table ? new TableReader(table, ChildPath(key), Errors) : null;

    public int Int(string key, int fallback, int min, int max) =>
        Find(key) is { } node && NodeConverter.TryInt(node, ChildPath(key), Errors, min, max, out var value) ? value : fallback;

    public TimeSpan Duration(string key, TimeSpan fallback, bool allowZero) =>
        Find(key) is { } node && NodeConverter.TryDuration(node, ChildPath(key), Errors, allowZero, out var value) ? value : fallback;

    public int ByteSize(string key, int fallback, int min, int max) =>
        Find(key) is { } node && NodeConverter.TryByteSize(node, ChildPath(key), Errors, min, max, out var value) ? value : fallback;

    /// <summary>A byte size that may exceed an int (a memory budget); null when the key is absent or wrong.</summary>
    public long? LargeByteSize(string key, long min, long max) =>
        Find(key) is { } node && NodeConverter.TryByteSize(node, ChildPath(key), Errors, min, max, out long value) ? value : null;

    public T Choice<T>(string key, T fallback, string what, ReadOnlySpan<(string Name, T Value)> choices) =>
        Find(key) is { } node && NodeConverter.TryChoice(node, ChildPath(key), Errors, what, choices, out var value) ? value : fallback;

    public IPEndPoint? RequiredEndpoint(string key, int minPort) =>
        FindRequired(key) is { } node && NodeConverter.TryEndpoint(node, ChildPath(key), Errors, minPort, out var value) ? value : null;

    public ConfigTable? OptionalTable(string key) =>
        Find(key) is { } node && NodeConverter.TryTable(node, ChildPath(key), Errors, out var value) ? value : null;

    public ConfigArray? OptionalArray(string key) =>
        Find(key) is { } node && NodeConverter.TryArray(node, ChildPath(key), Errors, out var value) ? value : null;

    /// <summary>Call after all reads: every key the binder did not ask for is an error.</summary>
    public void ReportUnknownKeys()
    {
        foreach (var entry in Table.Entries)
        {
            if (_known.Contains(entry.Key))
            {
                continue;
            }

            var suggestion = KeySuggestion.Closest(entry.Key, _known);
            var reason = suggestion is null ? "unknown key" : $"unknown key (did you mean \"{suggestion}\"?)";
            Errors.Add(ChildPath(entry.Key), entry.KeyPosition, reason);
        }
    }
}
