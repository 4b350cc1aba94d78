using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>
/// Turns one tree node into a typed value or records why it cannot. Every conversion goes through
/// the node's text, so a JSON "5" (the provider gives only strings) and a TOML 5 bind alike.
/// </summary>
internal static class NodeConverter
{
    public static bool TryString(ConfigNode node, string path, ConfigErrorList errors, [NotNullWhen(true)] out string? value)
    {
        if (node is ConfigScalar { Kind: ScalarKind.String or ScalarKind.Untyped } scalar)
        {
            value = scalar.Text;
            return true;
        }

        errors.Add(path, node.Position, $"expected a string, got {node.TypeName}");
        value = null;
        return false;
    }

    public static bool TryInt(ConfigNode node, string path, ConfigErrorList errors, int min, int max, out int value)
    {
        value = 0;
        if (node is not ConfigScalar { Kind: ScalarKind.Integer or ScalarKind.Untyped } scalar
            || !IsInteger(scalar.Text))
        {
            errors.Add(path, node.Position, $"expected an integer, got {node.TypeName}");
            return false;
        }

        // An integer too long for a long is still out of range, not a type error.
        if (!long.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            || number < min || number > max)
        {
            errors.Add(path, node.Position, $"{scalar.Text} is out of range ({DescribeRange(min, max)})");
            return false;
        }

        value = (int)number;
        return true;
    }

    public static bool TryDuration(ConfigNode node, string path, ConfigErrorList errors, bool allowZero, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (node is not ConfigScalar { Kind: ScalarKind.String or ScalarKind.Untyped or ScalarKind.Integer or ScalarKind.Float } scalar)
        {
            errors.Add(path, node.Position, $"{DurationParser.Expected}, got {node.TypeName}");
            return false;
        }

        if (!DurationParser.TryParse(scalar.Text, out value, out var problem))
        {
            errors.Add(path, node.Position, $"{scalar.Display} {problem}; {DurationParser.Expected}");
            return false;
        }

        if (!allowZero && value == TimeSpan.Zero)
        {
            errors.Add(path, node.Position, $"{scalar.Display} must be greater than zero");
            return false;
        }

        return true;
    }

    public static bool TryByteSize(ConfigNode node, string path, ConfigErrorList errors, int min, int max, out int value)
    {
        var ok = TryByteSize(node, path, errors, (long)min, max, out long bytes);
        value = ok ? (int)bytes : 0;
        return ok;
    }

    public static bool TryByteSize(ConfigNode node, string path, ConfigErrorList errors, long min, long max, out long value)
    {
        value = 0;
        if (node is not ConfigScalar { Kind: ScalarKind.String or ScalarKind.Untyped or ScalarKind.Integer or ScalarKind.Float } scalar)
        {
            errors.Add(path, node.Position, $"{ByteSizeParser.Expected}, got {node.TypeName}");
            return false;
        }

        if (!ByteSizeParser.TryParse(scalar.Text, out var bytes, out var problem))
        {
            errors.Add(path, node.Position, $"{scalar.Display} {problem}; {ByteSizeParser.Expected}");
            return false;
        }

        if (bytes < min || bytes > max)
        {
            errors.Add(path, node.Position, $"{scalar.Display} is out of range ({min}..{max} bytes)");
            return false;
        }

        value = bytes;
        return true;
    }

    public static bool TryEndpoint(ConfigNode node, string path, ConfigErrorList errors, int minPort, [NotNullWhen(true)] out IPEndPoint? value)
    {
        value = null;
        if (!TryString(node, path, errors, out var text))
        {
            return false;
        }

        if (!EndpointParser.TryParse(text, out var address, out var port, out var problem))
        {
            errors.Add(path, node.Position, problem);
            return false;
        }

        if (port < minPort || port > IPEndPoint.MaxPort)
        {
            errors.Add(path, node.Position, $"port {port} is out of range ({minPort}..{IPEndPoint.MaxPort})");
            return false;
        }

        value = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>Maps a keyword ("round_robin") to its enum value; <paramref name="what"/> names the
    /// kind of thing for the message ("load balancer policy").</summary>
    public static bool TryChoice<T>(ConfigNode node, string path, ConfigErrorList errors, string what,
        ReadOnlySpan<(string Name, T Value)> choices, out T value)
    {
        value = default!;
        if (!TryString(node, path, errors, out var text))
        {
            return false;
        }

        foreach (var (name, choice) in choices)
        {
            if (name == text)
            {
                value = choice;
                return true;
            }
        }

        var names = new List<string>(choices.Length);
        foreach (var (name, _) in choices)
        {
            names.Add(ConfigScalar.Quote(name));
        }

        var expected = names.Count == 1 ? $"only {names[0]} is supported" : $"expected one of {string.Join(", ", names)}";
        errors.Add(path, node.Position, $"unknown {what} {ConfigScalar.Quote(text)} ({expected})");
        return false;
    }

    public static bool TryTable(ConfigNode node, string path, ConfigErrorList errors, [NotNullWhen(true)] out ConfigTable? table)
    {
        switch (node)
        {
            case ConfigTable found:
                table = found;
                return true;
            case ConfigScalar { Kind: ScalarKind.Null }:
                // JSON {} reaches us as null: nothing to bind, so an empty table.
                table = new ConfigTable(node.Position);
                return true;
            default:
                errors.Add(path, node.Position, $"expected a table, got {node.TypeName}");
                table = null;
                return false;
        }
    }

    public static bool TryArray(ConfigNode node, string path, ConfigErrorList errors, [NotNullWhen(true)] out ConfigArray? array)
    {
        switch (node)
        {
            case ConfigArray found:
                array = found;
                return true;
            case ConfigScalar { Kind: ScalarKind.Null } or ConfigScalar { Kind: ScalarKind.Untyped, Text: "" }:
                // The JSON provider turns [] into "" and null into null; both mean "no items".
                array = new ConfigArray(node.Position);
                return true;
            default:
                errors.Add(path, node.Position, $"expected an array, got {node.TypeName}");
                array = null;
                return false;
        }
    }

    public static bool TryBool(ConfigNode node, string path, ConfigErrorList errors, out bool value)
    {
        value = false;
        if (node is ConfigScalar { Kind: ScalarKind.Boolean or ScalarKind.Untyped } scalar && bool.TryParse(scalar.Text, out value))
        {
            return true;
        }

        errors.Add(path, node.Position, $"expected true or false, got {node.TypeName}");
        return false;
    }

    /// <summary>A regular expression, compiled here so a bad one is a config error and not a failure at run time.</summary>
    public static bool TryRegex(ConfigNode node, string path, ConfigErrorList errors, [NotNullWhen(true)] out string? pattern)
    {
        if (!TryString(node, path, errors, out pattern))
        {
            return false;
        }

        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant);
            return true;
        }
        catch (ArgumentException ex)
        {
            errors.Add(path, node.Position, $"invalid regular expression: {ex.Message}");
            pattern = null;
            return false;
        }
    }

    private static bool IsInteger(string text)
    {
        var digits = text.AsSpan(text.Length > 0 && text[0] is '-' or '+' ? 1 : 0);
        return !digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9');
    }

    private static string DescribeRange(int min, int max) =>
        max == int.MaxValue ? $"must be at least {min}" : $"{min}..{max}";
}
