using System.Buffers;
using System.Runtime.InteropServices;

namespace MeshEdge.Codecs.Rpc;

/// <summary>
/// Reading and patching a few bytes of a frame that may be split across the segments of a
/// sequence (a session's input is a chain of fixed-size blocks, so a frame straddling two blocks is
/// normal). The common single-segment case never copies.
/// </summary>
internal static class RpcFrameBytes
{
    /// <summary>
    /// Returns <paramref name="length"/> bytes at <paramref name="offset"/> of <paramref name="frame"/> as one
    /// span: a slice of the frame when they lie in one segment, else a copy in <paramref name="scratch"/>.
    /// False when the range is outside the frame or the scratch is too small.
    /// </summary>
    public static bool TryGetContiguous(in ReadOnlySequence<byte> frame, int offset, int length, Span<byte> scratch, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (offset < 0 || length < 0 || (long)offset + length > frame.Length)
        {
            return false;
        }

        if (frame.IsSingleSegment)
        {
            bytes = frame.FirstSpan.Slice(offset, length);
            return true;
        }

        var first = frame.FirstSpan;
        if ((long)offset + length <= first.Length)
        {
            bytes = first.Slice(offset, length);
            return true;
        }

        // A slice that starts exactly at a segment boundary begins with an empty piece of the
        // previous segment, so the first non-empty piece is the one that may hold the whole range.
        var range = frame.Slice(offset, length);
        foreach (var piece in range)
        {
            if (piece.Length == 0)
            {
                continue;
            }

            if (piece.Length >= length)
            {
                bytes = piece.Span[..length];
                return true;
            }

            break;
        }

        if (scratch.Length < length)
        {
            return false;
        }

        range.CopyTo(scratch);
        bytes = scratch[..length];
        return true;
    }

    /// <summary>
    /// Overwrites the frame's bytes at <paramref name="offset"/> with <paramref name="source"/>, across
    /// segment boundaries. The sequence must be backed by writable memory, as a session's input blocks
    /// are: rewriting the request id in place is what lets the proxy forward a frame without copying it.
    /// </summary>
    public static bool TryOverwrite(in ReadOnlySequence<byte> frame, int offset, ReadOnlySpan<byte> source)
    {
        if (offset < 0 || (long)offset + source.Length > frame.Length)
        {
            return false;
        }

        foreach (var segment in frame.Slice(offset, source.Length))
        {
            var target = MemoryMarshal.AsMemory(segment).Span;
            source[..target.Length].CopyTo(target);
            source = source[target.Length..];
        }

        return true;
    }
}
