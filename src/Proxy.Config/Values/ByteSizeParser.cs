using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MeshEdge.Config.Values;

/// <summary>Parses byte sizes: "65536", "64KiB", "1MiB", "1.5MB", "512B". No unit means bytes.
/// Units are case-sensitive because "Kb" (kilobits) and "KB" differ by a factor of eight.</summary>
internal static class ByteSizeParser
{
    public const string Expected = "expected bytes or a size like \"1MiB\" (units: B, KB, KiB, MB, MiB)";

    public static bool TryParse(string text, out long bytes, [NotNullWhen(false)] out string? problem)
    {
        bytes = 0;
        var numberLength = DecimalNumber.Length(text);
        if (numberLength == 0)
        {
            problem = text.StartsWith('-') ? "is negative" : "is not a size";
            return false;
        }

        // One space is allowed before the unit: "1 MiB" is how sizes are usually written in prose.
        var unit = text.AsSpan(numberLength);
        if (unit.Length > 1 && unit[0] == ' ')
        {
            unit = unit[1..];
        }

        long multiplier = unit switch
        {
            "" or "B" => 1,
            "KB" => 1_000,
            "KiB" => 1_024,
            "MB" => 1_000_000,
            "MiB" => 1_048_576,
            _ => 0,
        };
        if (multiplier == 0)
        {
            problem = "is not a size";
            return false;
        }

        if (!decimal.TryParse(text.AsSpan(0, numberLength), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            || number > long.MaxValue / multiplier)
        {
            problem = "is too large";
            return false;
        }

        var exact = number * multiplier;
        if (exact != decimal.Truncate(exact))
        {
            problem = "is not a whole number of bytes";
            return false;
        }

        bytes = (long)exact;
        problem = null;
        return true;
    }
}
