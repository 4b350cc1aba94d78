using System.Text;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// 64-bit hashing for consistent-hashing policies: FNV-1a over the bytes, finished with
/// MurmurHash3's fmix64 so that nearby inputs ("host_0", "host_1") land far apart.
/// </summary>
internal static class HostHash
{
    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }

        return Mix(hash);
    }

    public static ulong Of(string text) => Of(Encoding.UTF8.GetBytes(text));

    public static ulong Mix(ulong key)
    {
        key ^= key >> 33;
        key *= 0xFF51AFD7ED558CCDUL;
        key ^= key >> 33;
        key *= 0xC4CEB9FE1A85EC53UL;
        key ^= key >> 33;
        return key;
    }
}
