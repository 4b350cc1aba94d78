using System.Globalization;
using MeshEdge.Config.Binding;
using MeshEdge.Config.Tree;
using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace MeshEdge.Config.Toml;

/// <summary>
/// Reads TOML into the format-neutral tree through Tomlyn's syntax parser: no reflection (NativeAOT
/// safe) and every value keeps its line. The parser's validation already rejects duplicate keys and
/// redefined tables, so this only has to fold headers (<c>[a.b]</c>, <c>[[a]]</c>) and dotted keys
/// into nested tables.
/// </summary>
internal static class TomlTreeReader
{
    /// <summary>The document's root table, or null after recording the syntax errors.</summary>
    public static ConfigTable? Read(string text, ConfigErrorList errors)
    {
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, errors.Source, validate: true);
        }
        catch (TomlException e)
        {
            // Parse reports problems as diagnostics; this only guards limits such as nesting depth.
            errors.AddFileError(e.Message, new SourcePosition(e.Line ?? 0, e.Column ?? 0));
            return null;
        }

        if (document.HasErrors)
        {
            foreach (var diagnostic in document.Diagnostics)
            {
                if (diagnostic.Kind == DiagnosticMessageKind.Error)
                {
                    errors.AddFileError(diagnostic.Message, PositionOf(diagnostic.Span.Start));
                }
            }

            return null;
        }

        var root = new ConfigTable(SourcePosition.None);
        foreach (var keyValue in document.KeyValues)
        {
            AddKeyValue(root, keyValue, errors);
        }

        foreach (var header in document.Tables)
        {
            if (OpenHeaderTable(root, header, errors) is { } table)
            {
                foreach (var keyValue in header.Items)
                {
                    AddKeyValue(table, keyValue, errors);
                }
            }
        }

        return root;
    }

    /// <summary>The table a <c>[a.b]</c> or <c>[[a.b]]</c> header opens, creating what is missing.</summary>
    private static ConfigTable? OpenHeaderTable(ConfigTable root, TableSyntaxBase header, ConfigErrorList errors)
    {
        var segments = KeySegments(header.Name!);
        var position = PositionOf(header.Span.Start);
        var parent = Descend(root, segments.AsSpan(0, segments.Length - 1), errors);
        if (parent is null)
        {
            return null;
        }

        var (name, namePosition) = segments[^1];
        parent.TryGet(name, out var existing);
        if (header is TableArraySyntax)
        {
            var array = existing as ConfigArray;
            if (array is null)
            {
                array = new ConfigArray(position);
                if (!AddOrReport(parent, name, array, namePosition, errors))
                {
                    return null;
                }
            }

            var element = new ConfigTable(position);
            array.Add(element);
            return element;
        }

        if (existing is ConfigTable table)
        {
            return table; // a parent created implicitly by an earlier [a.b.c]
        }

        table = new ConfigTable(position);
        return AddOrReport(parent, name, table, namePosition, errors) ? table : null;
    }

    private static void AddKeyValue(ConfigTable table, KeyValueSyntax keyValue, ConfigErrorList errors)
    {
        var segments = KeySegments(keyValue.Key!);
        var parent = Descend(table, segments.AsSpan(0, segments.Length - 1), errors);
        if (parent is not null && ToNode(keyValue.Value!, errors) is { } value)
        {
            var (name, position) = segments[^1];
            AddOrReport(parent, name, value, position, errors);
        }
    }

    /// <summary>Walks dotted key parts, creating tables; through an array of tables it enters the
    /// last element, as TOML's <c>[[a]]</c> then <c>[a.b]</c> means.</summary>
    private static ConfigTable? Descend(ConfigTable table, ReadOnlySpan<(string Name, SourcePosition Position)> segments,
        ConfigErrorList errors)
    {
        foreach (var (name, position) in segments)
        {
            if (!table.TryGet(name, out var child))
            {
                child = new ConfigTable(position);
                table.TryAdd(name, child, position);
            }

            if (child is ConfigArray { Items.Count: > 0 } array && array.Items[^1] is ConfigTable last)
            {
                child = last;
            }

            if (child is not ConfigTable next)
            {
                errors.AddFileError($"the key `{name}` is not a table and cannot hold keys", position);
                return null;
            }

            table = next;
        }

        return table;
    }

    private static ConfigNode? ToNode(ValueSyntax value, ConfigErrorList errors)
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
                var array = new ConfigArray(position);
                foreach (var item in a.Items)
                {
                    if (ToNode(item.Value!, errors) is { } node)
                    {
                        array.Add(node);
                    }
                }

                return array;
            case InlineTableSyntax t:
                var table = new ConfigTable(position);
                foreach (var item in t.Items)
                {
                    AddKeyValue(table, item.KeyValue!, errors);
                }

                return table;
            default:
                errors.AddFileError($"unsupported TOML value `{value}`", position);
                return null;
        }
    }

    private static bool AddOrReport(ConfigTable parent, string name, ConfigNode value, SourcePosition position,
        ConfigErrorList errors)
    {
        // Tomlyn's validation rejects redefinitions first; this stays as a guard so a gap there can
        // never let a later value silently replace an earlier one.
        if (parent.TryAdd(name, value, position))
        {
            return true;
        }

        errors.AddFileError($"the key `{name}` is defined more than once", position);
        return false;
    }

    private static (string Name, SourcePosition Position)[] KeySegments(KeySyntax key)
    {
        var segments = new List<(string, SourcePosition)> { Segment(key.Key!) };
        foreach (var dotted in key.DotKeys)
        {
            segments.Add(Segment(dotted.Key!));
        }

        return [.. segments];
    }

    private static (string, SourcePosition) Segment(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => (bare.Key?.Text ?? "", PositionOf(key.Span.Start)),
        StringValueSyntax quoted => (quoted.Value ?? "", PositionOf(key.Span.Start)),
        _ => (key.ToString() ?? "", PositionOf(key.Span.Start)),
    };

    // Tomlyn counts lines and columns from 0; editors and ConfigError count from 1.
    private static SourcePosition PositionOf(TextPosition position) => new(position.Line + 1, position.Column + 1);
}
