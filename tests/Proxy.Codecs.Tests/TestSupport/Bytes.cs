namespace MeshEdge.Codecs.Tests.TestSupport;

internal static class Bytes
{
    public static byte[] FromHex(string hex) => Convert.FromHexString(hex);

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>A Bolt header-map entry: {u32 keyLen, key, u32 valueLen, value}.</summary>
    public static byte[] HeaderEntry(string key, string value) =>
        HeaderEntry(System.Text.Encoding.UTF8.GetBytes(key), System.Text.Encoding.UTF8.GetBytes(value));

    public static byte[] HeaderEntry(byte[] key, byte[] value) =>
        [.. BigEndian32(key.Length), .. key, .. BigEndian32(value.Length), .. value];

    public static byte[] BigEndian32(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
