using System.Text;
using MeshEdge.Config.Model;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http.Routing;

/// <summary>
/// The consistent-hashing key of a request under its route's hash policy: the hash of a header's
/// value, of a cookie's value, or of the client's address (computed once per connection at accept).
/// A missing header or cookie, or no policy, gives a random key, as in Envoy: such requests spread
/// over the hosts instead of all landing on the owner of one fixed key. No allocation.
/// </summary>
internal static class RequestHashKey
{
    private static readonly byte[] CookieHeader = "cookie"u8.ToArray();

    public static ulong Of(CompiledRoute route, RequestHead head, ulong clientHash, FastRandom random)
    {
        if (route.Config.HashPolicy is not { } policy)
        {
            return random.NextUInt64();
        }

        switch (policy.Kind)
        {
            case HashPolicyKind.SourceIp:
                return clientHash;
            case HashPolicyKind.Header:
                var field = head.Find(route.HashName);
                return field >= 0 ? HostHash.Of(head.Value(field)) : random.NextUInt64();
            default:
                return TryFindCookie(head, route.HashName, out var value) ? HostHash.Of(value) : random.NextUInt64();
        }
    }

    /// <summary>The value of cookie <paramref name="name"/> in any Cookie field ("a=1; name=value; b=2").</summary>
    internal static bool TryFindCookie(RequestHead head, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < head.FieldCount; i++)
        {
            if (!Ascii.EqualsIgnoreCase(head.Name(i), CookieHeader))
            {
                continue;
            }

            var rest = head.Value(i);
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOf((byte)';');
                var pair = (end < 0 ? rest : rest[..end]).Trim((byte)' ');
                rest = end < 0 ? default : rest[(end + 1)..];
                var equals = pair.IndexOf((byte)'=');
                if (equals > 0 && pair[..equals].SequenceEqual(name))
                {
                    value = pair[(equals + 1)..];
                    return true;
                }
            }
        }

        value = default;
        return false;
    }
}
