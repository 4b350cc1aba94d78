using System.Globalization;

namespace MeshEdge.Config.Tree;

/// <summary>A leaf value, kept as text (TOML numbers in invariant form) so the binder parses one
/// representation whichever format it came from.</summary>
internal sealed class ConfigScalar(ScalarKind kind, string text, SourcePosition position) : ConfigNode(position)
{
    public ScalarKind Kind { get; } = kind;

    public string Text { get; } = text;

    public override string TypeName => Kind switch
    {
        ScalarKind.String => "string",
        ScalarKind.Integer => "integer",
        ScalarKind.Float => "float",
        ScalarKind.Boolean => "boolean",
        ScalarKind.DateTime => "date-time",
        ScalarKind.Null => "null",
        _ => GuessUntypedTypeName(Text),
    };

    /// <summary>The value as it would be written: strings quoted, numbers bare.</summary>
    public string Display => Kind switch
    {
        ScalarKind.String => Quote(Text),
        ScalarKind.Null => "null",
        ScalarKind.Untyped when LooksNumeric(Text) => Text,
        ScalarKind.Untyped => Quote(Text),
        _ => Text,
    };

    public static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // The JSON provider writes true/false as "True"/"False" and numbers as their source text; guessing
    // back lets a JSON type error name the same type a TOML one would.
    private static string GuessUntypedTypeName(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return "integer";
        }

        if (LooksNumeric(text))
        {
            return "float";
        }

        return text is "True" or "False" ? "boolean" : "string";
    }

    private static bool LooksNumeric(string text) =>
        text.Length > 0
        && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+')
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
