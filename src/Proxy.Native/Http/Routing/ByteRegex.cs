using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace MeshEdge.Native.Http.Routing;

/// <summary>
/// A whole-value regular expression applied to header and path bytes. The bytes are widened to
/// chars on the stack (Latin-1, which is what HTTP field bytes are), so matching allocates nothing.
/// A <see cref="Regex"/> is safe to share between threads.
/// </summary>
internal sealed class ByteRegex(string pattern)
{
    private const int StackLimit = 512;

    // Anchored: a route regex describes the whole path or value, as in Envoy's safe_regex.
    private readonly Regex _regex = new($"^(?:{pattern})$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    public bool IsMatch(ReadOnlySpan<byte> value)
    {
        char[]? rented = null;
        var chars = value.Length <= StackLimit
            ? stackalloc char[StackLimit]
            : rented = ArrayPool<char>.Shared.Rent(value.Length);
        var written = Encoding.Latin1.GetChars(value, chars);
        var matched = _regex.IsMatch(chars[..written]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return matched;
    }
}
