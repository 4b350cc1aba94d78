using System.Buffers;

namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>
/// The frames the connection answers with on its own (SETTINGS and PING acks, WINDOW_UPDATE,
/// RST_STREAM, GOAWAY), queued until the session flushes them to the transport. Bounded by a frame
/// count: a peer that sends PINGs and never reads the acks fills it, and the connection answers
/// with GOAWAY instead of growing (CVE-2019-9512, -9515). The array comes from a pool on the first
/// frame and goes back when a flush empties the queue, so an idle connection holds none.
/// </summary>
internal sealed class Http2ControlQueue(ArrayPool<byte> pool, int maxFrames) : IDisposable
{
    /// <summary>The largest control frame we write: GOAWAY without debug data.</summary>
    public const int MaxFrameLength = Http2Constants.FrameHeaderLength + Http2Constants.GoAwayMinimumPayloadLength;

    private byte[]? _bytes;

    public int Length { get; private set; }

    public int Frames { get; private set; }

    /// <summary>Room for one more frame; the last slot is kept for the GOAWAY that answers an overflow.</summary>
    public bool HasRoom => Frames < maxFrames - 1;

    /// <summary>A span for one frame of at most <see cref="MaxFrameLength"/> bytes; call <see cref="Commit"/> with what was written.</summary>
    public Span<byte> Reserve(int length)
    {
        if (_bytes is null || Length + length > _bytes.Length)
        {
            var larger = pool.Rent(Math.Max(Length + length, Math.Max(256, 2 * (_bytes?.Length ?? 0))));
            _bytes?.AsSpan(0, Length).CopyTo(larger);
            if (_bytes is not null)
            {
                pool.Return(_bytes);
            }

            _bytes = larger;
        }

        return _bytes.AsSpan(Length, length);
    }

    public void Commit(int written)
    {
        Length += written;
        Frames++;
    }

    /// <summary>Moves every queued frame to <paramref name="output"/> and gives the array back.</summary>
    public int Drain(IBufferWriter<byte> output)
    {
        var length = Length;
        if (length > 0)
        {
            output.Write(_bytes.AsSpan(0, length));
        }

        Clear();
        return length;
    }

    public void Clear()
    {
        Length = 0;
        Frames = 0;
        if (_bytes is not null)
        {
            pool.Return(_bytes);
            _bytes = null;
        }
    }

    public void Dispose() => Clear();
}
