namespace MeshEdge.Codecs.Tests.Tls;

/// <summary>
/// Writes ClientHellos from RFC 8446's structures, for the reader's tests to parse back: the
/// fixed fields, then extensions in the given order, then record framing of any fragment sizes.
/// Written apart from the reader, so that one cannot share the other's mistakes.
/// </summary>
internal static class ClientHelloBuilder
{
    public static byte[] Extension(ushort type, byte[] data) => [.. U16(type), .. U16(data.Length), .. data];

    public static byte[] ServerName(string host) => ServerName(System.Text.Encoding.ASCII.GetBytes(host));

    public static byte[] ServerName(byte[] host) =>
        Extension(0, [.. U16(host.Length + 3), 0, .. U16(host.Length), .. host]);

    public static byte[] Alpn(params string[] protocols)
    {
        byte[] list = [.. protocols.SelectMany(p => new[] { (byte)p.Length }.Concat(System.Text.Encoding.ASCII.GetBytes(p)))];
        return Extension(16, [.. U16(list.Length), .. list]);
    }

    public static byte[] SupportedVersions(params ushort[] versions) =>
        Extension(43, [(byte)(versions.Length * 2), .. versions.SelectMany(v => U16(v))]);

    /// <summary>The handshake message: header, legacy_version, random, session id, suites, compression, extensions (null: no extensions block).</summary>
    public static byte[] Message(byte[][]? extensions, ushort legacyVersion = 0x0303, int sessionIdLength = 32, int suites = 3)
    {
        byte[] body =
        [
            .. U16(legacyVersion),
            .. Enumerable.Range(0, 32).Select(i => (byte)(i * 7)),
            (byte)sessionIdLength, .. Enumerable.Repeat((byte)0x5a, sessionIdLength),
            .. U16(suites * 2), .. Enumerable.Range(0, suites).SelectMany(i => U16(0x1301 + i)),
            1, 0,
        ];
        if (extensions is not null)
        {
            byte[] all = [.. extensions.SelectMany(e => e)];
            body = [.. body, .. U16(all.Length), .. all];
        }

        return [1, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];
    }

    /// <summary>The message in handshake records: fragments of the given sizes (the last one takes the rest), each with its header.</summary>
    public static byte[] Records(byte[] message, params int[] fragmentSizes)
    {
        var output = new List<byte>();
        var at = 0;
        var index = 0;
        while (at < message.Length)
        {
            var size = index < fragmentSizes.Length ? Math.Min(fragmentSizes[index], message.Length - at) : message.Length - at;
            output.AddRange([22, 3, 1, (byte)(size >> 8), (byte)size]);
            output.AddRange(message.AsSpan(at, size).ToArray());
            at += size;
            index++;
        }

        return [.. output];
    }

    /// <summary>A captured hello (one record) with its message cut into records of <paramref name="size"/> bytes.</summary>
    public static byte[] Refragment(byte[] singleRecord, int size)
    {
        var message = singleRecord[5..];
        return Records(message, [.. Enumerable.Repeat(size, message.Length / size + 1)]);
    }

    public static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];
}
