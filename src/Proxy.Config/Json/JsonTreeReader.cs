using System.Text;
using System.Text.Json;
using MeshEdge.Config.Binding;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;
using Microsoft.Extensions.Configuration;

namespace MeshEdge.Config.Json;

/// <summary>
/// Reads JSON into the format-neutral tree through Microsoft.Extensions.Configuration.Json. The
/// provider flattens the document to string keys and values (<c>listeners:0:address</c>), so values
/// become <see cref="ScalarKind.Untyped"/> text and children named 0, 1, 2... become arrays. It has no
/// reflection-based binding in this path, so it is safe under NativeAOT.
/// </summary>
internal static class JsonTreeReader
{
    /// <summary>The document's root table, or null after recording the syntax error.</summary>
    public static ConfigTable? Read(string text, ConfigErrorList errors)
    {
        IConfigurationRoot configuration;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        }
        catch (JsonException e)
        {
            // System.Text.Json counts from 0 and appends "LineNumber: ..." to the message; the
            // position goes into the error's own fields instead.
            var position = new SourcePosition((int)(e.LineNumber ?? -1) + 1, (int)(e.BytePositionInLine ?? -1) + 1);
            errors.AddFileError(TrimPositionSuffix(e.Message), position);
            return null;
        }
        catch (FormatException e)
        {
            // Duplicate keys (the provider compares them case-insensitively) and a non-object root.
            errors.AddFileError(e.Message);
            return null;
        }

        return ToTable(configuration.GetChildren(), "", errors);
    }

    private static ConfigTable ToTable(IEnumerable<IConfigurationSection> sections, string path, ConfigErrorList errors)
    {
        var table = new ConfigTable(SourcePosition.None);
        foreach (var section in sections)
        {
            table.TryAdd(section.Key, ToNode(section, KeyPath.Child(path, section.Key), errors), SourcePosition.None);
        }

        return table;
    }

    private static ConfigNode ToNode(IConfigurationSection section, string path, ConfigErrorList errors)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null
                ? new ConfigScalar(ScalarKind.Null, "", SourcePosition.None)
                : new ConfigScalar(ScalarKind.Untyped, section.Value, SourcePosition.None);
        }

        if (section.Value is not null)
        {
            // {"a": {...}, "a": 1} flattens to both "a" and "a:x" without the provider complaining.
            errors.Add(path, SourcePosition.None, "duplicate key");
        }

        if (!IsArray(children))
        {
            return ToTable(children, path, errors);
        }

        var array = new ConfigArray(SourcePosition.None);
        for (var i = 0; i < children.Count; i++)
        {
            array.Add(ToNode(children[i], KeyPath.Index(path, i), errors));
        }

        return array;
    }

    // The provider keeps no trace of arrays except the child keys 0..n-1 (sorted numerically).
    private static bool IsArray(List<IConfigurationSection> children)
    {
        for (var i = 0; i < children.Count; i++)
        {
            if (children[i].Key != i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                return false;
            }
        }

        return true;
    }

    private static string TrimPositionSuffix(string message)
    {
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return suffix > 0 ? message[..suffix] : message;
    }
}
