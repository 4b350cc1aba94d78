using MeshEdge.Config.Binding;
using MeshEdge.Config.Tree;
using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace MeshEdge.Config.Toml;

/// <summary>
/// Reads TOML into the format-neutral tree through Tomlyn's syntax parser: no reflection (NativeAOT
/// safe) and every value keeps its line.
/// </summary>
/// <remarks>
/// Tomlyn 2.10.2's own semantic validation (<c>validate: true</c>) wrongly rejects
/// <c>[[a]] [a.b] [[a]] b.c = 1</c> (it files the first <c>[a.b]</c> under the last element), which is
/// exactly how a second listener's <c>tcp_proxy</c> is often written. So only syntax is taken from
/// the parser and <see cref="TomlTreeBuilder"/> applies TOML's key and table rules itself.
/// </remarks>
internal static class TomlTreeReader
{
    /// <summary>The document's root table, or null after recording syntax or structure errors.</summary>
    public static ConfigTable? Read(string text, ConfigErrorList errors)
    {
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, errors.Source, validate: false);
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
                    errors.AddFileError(diagnostic.Message, TomlTreeBuilder.PositionOf(diagnostic.Span.Start));
                }
            }

            return null;
        }

        var errorsBefore = errors.Count;
        var builder = new TomlTreeBuilder(errors);
        foreach (var keyValue in document.KeyValues)
        {
            builder.AddKeyValue(builder.Root, keyValue);
        }

        foreach (var header in document.Tables)
        {
            if (builder.OpenHeader(header) is { } table)
            {
                foreach (var keyValue in header.Items)
                {
                    builder.AddKeyValue(table, keyValue);
                }
            }
        }

        // A redefined key leaves the tree ambiguous; binding it would only add confusing follow-on errors.
        return errors.Count == errorsBefore ? builder.Root : null;
    }
}
