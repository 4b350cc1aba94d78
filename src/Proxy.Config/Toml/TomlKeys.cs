using MeshEdge.Config.Tree;
using Tomlyn.Syntax;

namespace MeshEdge.Config.Toml;

/// <summary>Splits a TOML key (<c>a."b.c".d</c>) into its parts, each with where it was written.</summary>
internal static class TomlKeys
{
    public static (string Name, SourcePosition Position)[] Segments(KeySyntax key)
    {
        var segments = new List<(string, SourcePosition)> { Segment(key.Key!) };
        foreach (var dotted in key.DotKeys)
        {
            segments.Add(Segment(dotted.Key!));
        }

        return [.. segments];
    }

    private static (string, SourcePosition) Segment(BareKeyOrStringValueSyntax key)
    {
        var position = TomlTreeBuilder.PositionOf(key.Span.Start);
        return key switch
        {
            BareKeySyntax bare => (bare.Key?.Text ?? "", position),
            StringValueSyntax quoted => (quoted.Value ?? "", position),
            _ => (key.ToString() ?? "", position),
        };
    }
}
