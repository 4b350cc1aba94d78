using System.Buffers;

namespace MeshEdge.Codecs.Http2;

/// <summary>
/// Joins a field block split over HEADERS (or PUSH_PROMISE) and CONTINUATION frames into one span for
/// the HPACK decoder, in an array from a pool that grows by renting a larger one. The cap is the
/// CONTINUATION flood defence (the CVE-2024-27316 family): a peer that keeps a block open gets a
/// refusal at the cap, not unbounded memory. A block in a single frame needs none of this: decode
/// the frame's fragment in place.
/// </summary>
internal sealed class Http2FieldBlockBuffer(ArrayPool<byte> pool, int cap) : IDisposable
{
    private byte[]? _array;

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    /// <summary>Appends a fragment; false, appending nothing, when the block would pass the cap.</summary>
    public bool TryAppend(ReadOnlySpan<byte> fragment)
    {
        if ((long)Length + fragment.Length > cap)
        {
            return false;
        }

        if (_array is null || Length + fragment.Length > _array.Length)
        {
            var larger = pool.Rent(Math.Max(Length + fragment.Length, Math.Min(2 * (_array?.Length ?? 512), cap)));
            Span.CopyTo(larger);
            if (_array is not null)
            {
                pool.Return(_array);
            }

            _array = larger;
        }

        fragment.CopyTo(_array.AsSpan(Length));
        Length += fragment.Length;
        return true;
    }

    /// <summary>Empties the block and gives its array back, so an idle connection holds none.</summary>
    public void Clear()
    {
        Length = 0;
        if (_array is not null)
        {
            pool.Return(_array);
            _array = null;
        }
    }

    public void Dispose() => Clear();
}
