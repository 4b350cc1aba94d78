using System.Text;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Http.Routing;

/// <summary>A compiled header or query-parameter condition: name and expected value as bytes.</summary>
internal sealed class ValueCondition(ValueMatchConfig config)
{
    public byte[] Name { get; } = Encoding.UTF8.GetBytes(config.Name);

    public ValueMatchKind Kind { get; } = config.Kind;

    private readonly byte[] _value = Encoding.UTF8.GetBytes(config.Value);
    private readonly ByteRegex? _regex = config.Kind == ValueMatchKind.Regex ? new ByteRegex(config.Value) : null;

    /// <summary>Whether a value that was found (or not: <paramref name="found"/> false) satisfies the condition.</summary>
    public bool Matches(bool found, ReadOnlySpan<byte> value) => Kind switch
    {
        ValueMatchKind.Present => found,
        ValueMatchKind.Absent => !found,
        ValueMatchKind.Exact => found && value.SequenceEqual(_value),
        ValueMatchKind.Prefix => found && value.StartsWith(_value),
        _ => found && _regex!.IsMatch(value),
    };

    /// <summary>The value of query parameter <see cref="Name"/> in <paramref name="query"/> ("a=1&amp;b=2"), raw, not decoded.</summary>
    public bool TryFindQueryValue(ReadOnlySpan<byte> query, out ReadOnlySpan<byte> value)
    {
        while (!query.IsEmpty)
        {
            var end = query.IndexOf((byte)'&');
            var pair = end < 0 ? query : query[..end];
            query = end < 0 ? default : query[(end + 1)..];
            var equals = pair.IndexOf((byte)'=');
            var name = equals < 0 ? pair : pair[..equals];
            if (name.SequenceEqual(Name))
            {
                value = equals < 0 ? default : pair[(equals + 1)..];
                return true;
            }
        }

        value = default;
        return false;
    }

    public static bool AsciiEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Ascii.EqualsIgnoreCase(a, b);
}
