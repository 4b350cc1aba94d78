namespace MeshEdge.Config.Values;

/// <summary>Scans the plain decimal number ("12", "1.5") that starts a duration or a size.</summary>
internal static class DecimalNumber
{
    /// <summary>Length of the leading <c>digits[.digits]</c>, or 0 when the text does not start with one.
    /// Signs, exponents and a bare "." are refused: none of them belong in a duration or size.</summary>
    public static int Length(string text)
    {
        var i = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i == 0)
        {
            return 0;
        }

        if (i < text.Length && text[i] == '.')
        {
            var fraction = i + 1;
            var j = fraction;
            while (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                j++;
            }

            // "1." is refused rather than read as "1" followed by a unit "."
            return j == fraction ? 0 : j;
        }

        return i;
    }
}
