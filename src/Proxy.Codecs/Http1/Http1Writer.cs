using System.Buffers;
using System.Globalization;

namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Writes HTTP/1.1 framing into an output buffer, each piece with one GetSpan/Advance. Inputs are
/// trusted (they come from a parsed message or from the proxy itself), so nothing is validated here.
/// </summary>
internal static class Http1Writer
{
    private const int MaxLongDigits = 20;

    public static void WriteRequestLine(IBufferWriter<byte> output, ReadOnlySpan<byte> method, ReadOnlySpan<byte> target, Http1Version version)
    {
        var length = method.Length + 1 + target.Length + 1 + 8 + 2;
        var span = output.GetSpan(length);
        method.CopyTo(span);
        var at = method.Length;
        span[at++] = Http1Chars.Space;
        target.CopyTo(span[at..]);
        at += target.Length;
        span[at++] = Http1Chars.Space;
        VersionText(version).CopyTo(span[at..]);
        at += 8;
        span[at++] = Http1Chars.Cr;
        span[at] = Http1Chars.Lf;
        output.Advance(length);
    }

    public static void WriteStatusLine(IBufferWriter<byte> output, Http1Version version, int statusCode) =>
        WriteStatusLine(output, version, statusCode, Http1ReasonPhrases.For(statusCode));

    public static void WriteStatusLine(IBufferWriter<byte> output, Http1Version version, int statusCode, ReadOnlySpan<byte> reasonPhrase)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 999);
        var length = 8 + 1 + 3 + 1 + reasonPhrase.Length + 2;
        var span = output.GetSpan(length);
        VersionText(version).CopyTo(span);
        span[8] = Http1Chars.Space;
        span[9] = (byte)('0' + (statusCode / 100));
        span[10] = (byte)('0' + (statusCode / 10 % 10));
        span[11] = (byte)('0' + (statusCode % 10));
        span[12] = Http1Chars.Space;
        reasonPhrase.CopyTo(span[13..]);
        span[13 + reasonPhrase.Length] = Http1Chars.Cr;
        span[14 + reasonPhrase.Length] = Http1Chars.Lf;
        output.Advance(length);
    }

    public static void WriteHeader(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var length = name.Length + 2 + value.Length + 2;
        var span = output.GetSpan(length);
        name.CopyTo(span);
        var at = name.Length;
        span[at++] = Http1Chars.Colon;
        span[at++] = Http1Chars.Space;
        value.CopyTo(span[at..]);
        at += value.Length;
        span[at++] = Http1Chars.Cr;
        span[at] = Http1Chars.Lf;
        output.Advance(length);
    }

    /// <summary>A field with a decimal value, such as Content-Length, formatted without a string.</summary>
    public static void WriteHeader(IBufferWriter<byte> output, ReadOnlySpan<byte> name, long value)
    {
        Span<byte> digits = stackalloc byte[MaxLongDigits];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        WriteHeader(output, name, digits[..written]);
    }

    /// <summary>The empty line that ends a header or trailer section.</summary>
    public static void WriteEndOfHeaders(IBufferWriter<byte> output) => Write(output, "\r\n"u8);

    /// <summary>chunk-size CRLF; the <paramref name="size"/> data bytes and <see cref="WriteChunkEnd"/> follow.</summary>
    public static void WriteChunkHeader(IBufferWriter<byte> output, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var span = output.GetSpan(MaxLongDigits + 2);
        size.TryFormat(span, out var written, "x", CultureInfo.InvariantCulture);
        span[written++] = Http1Chars.Cr;
        span[written++] = Http1Chars.Lf;
        output.Advance(written);
    }

    /// <summary>The CRLF after a chunk's data.</summary>
    public static void WriteChunkEnd(IBufferWriter<byte> output) => Write(output, "\r\n"u8);

    /// <summary>A whole chunk: size line, data, CRLF. An empty span writes nothing (a zero size would end the body).</summary>
    public static void WriteChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        WriteChunkHeader(output, data.Length);
        Write(output, data);
        WriteChunkEnd(output);
    }

    /// <summary>last-chunk ("0" CRLF). Trailer fields may follow (WriteHeader); WriteEndOfHeaders ends the body.</summary>
    public static void WriteLastChunk(IBufferWriter<byte> output) => Write(output, "0\r\n"u8);

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static ReadOnlySpan<byte> VersionText(Http1Version version) =>
        version == Http1Version.Http10 ? "HTTP/1.0"u8 : "HTTP/1.1"u8;
}
