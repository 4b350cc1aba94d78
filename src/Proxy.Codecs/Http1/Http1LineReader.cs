using System.Buffers;
using System.Runtime.CompilerServices;

namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Cuts CRLF-terminated lines out of a possibly multi-segment input. Strict on purpose: a LF without
/// its CR is an error (see <see cref="Http1Error.BareLineFeed"/>), and a CR elsewhere in a line is left
/// for the character checks to reject, so every line has exactly one possible end.
/// </summary>
internal static class Http1LineReader
{
    /// <summary>Reads one line (without its CRLF) and advances past it; on any other outcome the reader stays put.</summary>
    /// <param name="maxLineBytes">The most bytes the line may take, CRLF included.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Http1LineStatus TryRead(ref SequenceReader<byte> reader, long maxLineBytes, out ReadOnlySequence<byte> line)
    {
        if (!reader.TryReadTo(out line, Http1Chars.Lf, advancePastDelimiter: true))
        {
            // Without a LF yet, the line is at least as long as what is buffered (plus its LF).
            return reader.Remaining >= maxLineBytes ? Http1LineStatus.TooLong : Http1LineStatus.NeedMoreData;
        }

        if (line.Length + 1 > maxLineBytes)
        {
            reader.Rewind(line.Length + 1);
            return Http1LineStatus.TooLong;
        }

        if (line.IsEmpty || LastByte(line) != Http1Chars.Cr)
        {
            reader.Rewind(line.Length + 1);
            return Http1LineStatus.BareLineFeed;
        }

        line = line.Slice(0, line.Length - 1);
        return Http1LineStatus.Found;
    }

    /// <summary>
    /// The fast path: a well-formed line that lies whole in the reader's current segment (nearly every
    /// line, with 16 KiB blocks) comes back as a span, with no sequence slicing. Anything else returns
    /// false without moving the reader, and <see cref="TryRead"/> sorts it out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadInSpan(ref SequenceReader<byte> reader, long maxLineBytes, out ReadOnlySpan<byte> line)
    {
        var span = reader.UnreadSpan;
        var lf = span.IndexOf(Http1Chars.Lf);
        if (lf <= 0 || lf + 1 > maxLineBytes || span[lf - 1] != Http1Chars.Cr)
        {
            line = default;
            return false;
        }

        line = span[..(lf - 1)];
        reader.Advance(lf + 1);
        return true;
    }

    private static byte LastByte(in ReadOnlySequence<byte> line) =>
        line.IsSingleSegment ? line.FirstSpan[^1] : line.Slice(line.Length - 1).FirstSpan[0];
}
