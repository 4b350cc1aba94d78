using System.Globalization;
using MeshEdge.Config.Binding;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;
using Tomlyn.Syntax;

namespace MeshEdge.Config.Toml;

/// <summary>
/// Folds TOML syntax (headers, dotted keys, inline tables) into nested tables while enforcing
/// TOML 1.0's rules: a key is defined once, a table by one header, inline tables and array values
/// are complete as written, and <c>[[a]]</c> appends only to an array of tables.
/// </summary>
internal sealed class TomlTreeBuilder
{
    private readonly ConfigErrorList _errors;

    // Kept beside the tree rather than in it: origins matter only while reading TOML.
    private readonly Dictionary<ConfigNode, (TomlOrigin Origin, string Path)> _info = new(ReferenceEqualityComparer.Instance);

    public TomlTreeBuilder(ConfigErrorList errors)
    {
        _errors = errors;
        _info[Root] = (TomlOrigin.Header, "");
    }

    public ConfigTable Root { get; } = new(SourcePosition.None);

    /// <summary>The table a <c>[a.b]</c> or <c>[[a.b]]</c> header opens, or null after an error.</summary>
    public ConfigTable? OpenHeader(TableSyntaxBase header)
    {
        var segments = TomlKeys.Segments(header.Name!);
        var position = PositionOf(header.Span.Start);
        var parent = Root;
        foreach (var (name, at) in segments.AsSpan(0, segments.Length - 1))
        {
            parent = DescendForHeader(parent, name, at);
            if (parent is null)
            {
                return null;
            }
        }

        var (last, lastAt) = segments[^1];
        var path = KeyPath.Child(_info[parent].Path, last);
        parent.TryGet(last, out var existing);
        if (header is TableArraySyntax)
        {
            if (existing is null)
            {
                existing = Register(new ConfigArray(position), TomlOrigin.TableArray, path);
                parent.TryAdd(last, existing, lastAt);
            }

            if (existing is not ConfigArray array || _info[array].Origin != TomlOrigin.TableArray)
            {
                return Conflict(path, lastAt, existing);
            }

            var element = Register(new ConfigTable(position), TomlOrigin.Header, KeyPath.Index(path, array.Items.Count));
            array.Add(element);
            return element;
        }

        if (existing is null)
        {
            var table = Register(new ConfigTable(position), TomlOrigin.Header, path);
            parent.TryAdd(last, table, lastAt);
            return table;
        }

        if (existing is ConfigTable implicitTable && _info[implicitTable].Origin == TomlOrigin.Implicit)
        {
            _info[implicitTable] = (TomlOrigin.Header, path); // [a.b] came first, now [a] itself
            return implicitTable;
        }

        return Conflict(path, lastAt, existing);
    }

    /// <summary>Adds <c>a.b.c = value</c> to <paramref name="table"/>.</summary>
    public void AddKeyValue(ConfigTable table, KeyValueSyntax keyValue)
    {
        var segments = TomlKeys.Segments(keyValue.Key!);
        ConfigTable? parent = table;
        foreach (var (name, at) in segments.AsSpan(0, segments.Length - 1))
        {
            parent = DescendForDottedKey(parent, name, at);
            if (parent is null)
            {
                return;
            }
        }

        var (last, lastAt) = segments[^1];
        var path = KeyPath.Child(_info[parent].Path, last);
        if (parent.TryGet(last, out var existing))
        {
            Conflict(path, lastAt, existing);
            return;
        }

        if (ToNode(keyValue.Value!, path) is { } value)
        {
            parent.TryAdd(last, value, lastAt);
        }
    }

    // Tomlyn counts lines and columns from 0; editors and ConfigError count from 1.
    public static SourcePosition PositionOf(TextPosition position) => new(position.Line + 1, position.Column + 1);

    private ConfigTable? DescendForHeader(ConfigTable parent, string name, SourcePosition at)
    {
        var path = KeyPath.Child(_info[parent].Path, name);
        if (!parent.TryGet(name, out var child))
        {
            var created = Register(new ConfigTable(at), TomlOrigin.Implicit, path);
            parent.TryAdd(name, created, at);
            return created;
        }

        switch (child)
        {
            // [fruit] apple.color = 1 then [fruit.apple.texture] is allowed: headers may pass through
            // dotted tables, they just may not define one.
            case ConfigTable table when _info[table].Origin is TomlOrigin.Implicit or TomlOrigin.Header or TomlOrigin.Dotted:
                return table;
            case ConfigArray array when _info[array].Origin == TomlOrigin.TableArray:
                return (ConfigTable)array.Items[^1]; // [[a]] then [a.b]: b belongs to the latest a
            default:
                return Conflict(path, at, child);
        }
    }

    private ConfigTable? DescendForDottedKey(ConfigTable parent, string name, SourcePosition at)
    {
        var path = KeyPath.Child(_info[parent].Path, name);
        if (!parent.TryGet(name, out var child))
        {
            var created = Register(new ConfigTable(at), TomlOrigin.Dotted, path);
            parent.TryAdd(name, created, at);
            return created;
        }

        if (child is ConfigTable table && _info[table].Origin is TomlOrigin.Dotted or TomlOrigin.Implicit)
        {
            _info[table] = (TomlOrigin.Dotted, path);
            return table;
        }

        return Conflict(path, at, child);
    }

    private ConfigNode? ToNode(ValueSyntax value, string path)
    {
        var position = PositionOf(value.Span.Start);
        switch (value)
        {
            case StringValueSyntax s:
                return new ConfigScalar(ScalarKind.String, s.Value ?? "", position);
            case IntegerValueSyntax i:
                return new ConfigScalar(ScalarKind.Integer, i.Value.ToString(CultureInfo.InvariantCulture), position);
            case FloatValueSyntax f:
                return new ConfigScalar(ScalarKind.Float, f.Value.ToString("R", CultureInfo.InvariantCulture), position);
            case BooleanValueSyntax b:
                return new ConfigScalar(ScalarKind.Boolean, b.Value ? "true" : "false", position);
            case DateTimeValueSyntax d:
                return new ConfigScalar(ScalarKind.DateTime, d.Token?.Text ?? d.Value.ToString(), position);
            case ArraySyntax a:
                var array = Register(new ConfigArray(position), TomlOrigin.StaticArray, path);
                foreach (var item in a.Items)
                {
                    if (ToNode(item.Value!, KeyPath.Index(path, array.Items.Count)) is { } node)
                    {
                        array.Add(node);
                    }
                }

                return array;
            case InlineTableSyntax t:
                // Built as dotted tables ({ a.b = 1, a.c = 2 } is fine), then sealed as a whole.
                var table = Register(new ConfigTable(position), TomlOrigin.Dotted, path);
                foreach (var item in t.Items)
                {
                    AddKeyValue(table, item.KeyValue!);
                }

                Seal(table);
                return table;
            default:
                _errors.Add(path, position, $"unsupported TOML value `{value}`");
                return null;
        }
    }

    private void Seal(ConfigTable table)
    {
        _info[table] = (TomlOrigin.Inline, _info[table].Path);
        foreach (var entry in table.Entries)
        {
            if (entry.Value is ConfigTable child && _info[child].Origin != TomlOrigin.Inline)
            {
                Seal(child);
            }
        }
    }

    private T Register<T>(T node, TomlOrigin origin, string path)
        where T : ConfigNode
    {
        _info[node] = (origin, path);
        return node;
    }

    /// <summary>Reports that <paramref name="path"/> cannot be (re)defined; returns null for the caller.</summary>
    private ConfigTable? Conflict(string path, SourcePosition at, ConfigNode existing)
    {
        var line = existing.Position.IsKnown ? $" at line {existing.Position.Line}" : "";
        var origin = _info.TryGetValue(existing, out var info) ? info.Origin : (TomlOrigin?)null;
        var reason = origin switch
        {
            TomlOrigin.Inline => $"cannot be extended: it is an inline table{line}",
            TomlOrigin.StaticArray => $"cannot be extended: it is an array value{line}",
            TomlOrigin.TableArray => $"is already an array of tables{line}",
            _ => $"is already defined{line}",
        };
        _errors.Add(path, at, reason);
        return null;
    }
}
