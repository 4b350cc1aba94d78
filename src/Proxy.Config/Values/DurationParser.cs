using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MeshEdge.Config.Values;

/// <summary>
/// Parses "50us", "250ms", "5s", "1.5m", "1h". A unit is always required: a bare number is ambiguous
/// (seconds? milliseconds?) and guessing wrong turns a 30 s timeout into 30 ms.
/// </summary>
internal static class DurationParser
{
    public const string Expected = "expected a duration like \"5s\" (units: us, ms, s, m, h)";

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> is a phrase
    /// that follows the value in a message ("has no unit").</summary>
    public static bool TryParse(string text, out TimeSpan value, [NotNullWhen(false)] out string? problem)
    {
        value = TimeSpan.Zero;
        if (text.StartsWith('-'))
        {
            problem = "is negative";
            return false;
        }

        var numberLength = DecimalNumber.Length(text);
        if (numberLength == 0)
        {
            problem = "is not a duration";
            return false;
        }

        var unit = text.AsSpan(numberLength);
        long ticksPerUnit = unit switch
        {
            "us" => TimeSpan.TicksPerMicrosecond,
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            _ => 0,
        };
        if (ticksPerUnit == 0)
        {
            problem = unit.IsEmpty ? "has no unit" : "is not a duration";
            return false;
        }

        // decimal keeps "1.1s" exact where double would not; sub-tick fractions are dropped.
        if (!decimal.TryParse(text.AsSpan(0, numberLength), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            || number > TimeSpan.MaxValue.Ticks / ticksPerUnit)
        {
            problem = "is too large";
            return false;
        }

        value = TimeSpan.FromTicks((long)(number * ticksPerUnit));
        problem = null;
        return true;
    }
}
