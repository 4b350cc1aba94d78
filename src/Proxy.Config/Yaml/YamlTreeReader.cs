using MeshEdge.Config.Binding;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MeshEdge.Config.Yaml;

/// <summary>
/// Reads YAML into the format-neutral tree through YamlDotNet's event parser only: no object
/// serializer and so no reflection (NativeAOT and trim safe), and every value keeps its line.
/// Envoy bootstraps are the YAML this serves: block and flow mappings and sequences, plain and
/// quoted scalars, anchors and aliases.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>Deeper nesting than any real config; guards the recursion.</summary>
    private const int MaxDepth = 128;

    /// <summary>The document's root table, or null after recording the syntax error.</summary>
    public static ConfigTable? Read(string text, ConfigErrorList errors)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                errors.AddFileError("the document is empty");
                return null;
            }

            parser.Consume<DocumentStart>();
            var anchors = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
            var root = ReadNode(parser, anchors, errors, "", 0);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                errors.AddFileError("more than one YAML document; give one", At(parser.Current?.Start ?? Mark.Empty));
                return null;
            }

            if (root is ConfigTable table)
            {
                return table;
            }

            errors.AddFileError($"the document must be a mapping, got {root?.TypeName ?? "nothing"}");
            return null;
        }
        catch (YamlException e)
        {
            // The message repeats the position as "(Line: 3, Col: 5, ...)"; it goes into the error's fields instead.
            var message = e.Message;
            var cut = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0)
            {
                message = message[(cut + 3)..];
            }

            errors.AddFileError(message, At(e.Start));
            return null;
        }
    }

    private static ConfigNode? ReadNode(IParser parser, Dictionary<string, ConfigNode> anchors, ConfigErrorList errors, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new YamlException(parser.Current?.Start ?? Mark.Empty, parser.Current?.End ?? Mark.Empty, $"nesting deeper than {MaxDepth} levels");
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out var anchored))
            {
                return anchored;
            }

            throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");
        }

        ConfigNode node;
        AnchorName anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor;
            node = ToScalar(scalar);
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            anchor = sequenceStart.Anchor;
            var array = new ConfigArray(At(sequenceStart.Start));
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(ReadNode(parser, anchors, errors, KeyPath.Index(path, array.Items.Count), depth + 1)!);
            }

            node = array;
        }
        else
        {
            var mappingStart = parser.Consume<MappingStart>();
            anchor = mappingStart.Anchor;
            var table = new ConfigTable(At(mappingStart.Start));
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Current;
                var keyNode = ReadNode(parser, anchors, errors, path, depth + 1);
                var keyPath = KeyPath.Child(path, (keyNode as ConfigScalar)?.Text ?? "?");
                var value = ReadNode(parser, anchors, errors, keyPath, depth + 1)!;
                var keyPosition = At(keyEvent?.Start ?? Mark.Empty);
                if (keyNode is not ConfigScalar key)
                {
                    throw new YamlException(keyEvent?.Start ?? Mark.Empty, keyEvent?.End ?? Mark.Empty, "a mapping key must be a scalar");
                }

                if (!table.TryAdd(key.Text, value, keyPosition))
                {
                    errors.Add(keyPath, keyPosition, "duplicate key");
                }
            }

            node = table;
        }

        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    /// <summary>Quoted scalars are strings; plain ones are typed by the binder from their text, as JSON's are,
    /// except the YAML nulls.</summary>
    private static ConfigScalar ToScalar(Scalar scalar)
    {
        var position = At(scalar.Start);
        if (scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL")
        {
            return new ConfigScalar(ScalarKind.Null, "", position);
        }

        if (scalar.Style == ScalarStyle.Plain && scalar.Value is "true" or "false" or "True" or "False")
        {
            return new ConfigScalar(ScalarKind.Boolean, scalar.Value.ToLowerInvariant(), position);
        }

        return new ConfigScalar(scalar.Style == ScalarStyle.Plain ? ScalarKind.Untyped : ScalarKind.String, scalar.Value, position);
    }

    private static SourcePosition At(Mark mark) => mark.Line > 0 ? new SourcePosition((int)mark.Line, (int)mark.Column) : SourcePosition.None;
}
