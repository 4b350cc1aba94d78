using System.Buffers;

namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Gives a line as one span. A line inside one block (nearly all of them) is a view of the input; one
/// that straddles blocks is copied into an array from the shared pool, which after warm-up allocates
/// nothing. Dispose returns the array.
/// </summary>
internal ref struct Http1LineBuffer
{
    private byte[]? _rented;

    public Http1LineBuffer(in ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment)
        {
            Span = line.FirstSpan;
            _rented = null;
            return;
        }

        _rented = ArrayPool<byte>.Shared.Rent((int)line.Length);
        line.CopyTo(_rented);
        Span = _rented.AsSpan(0, (int)line.Length);
    }

    public ReadOnlySpan<byte> Span { get; }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
