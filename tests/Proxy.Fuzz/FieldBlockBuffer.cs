namespace MeshEdge.Fuzz;

/// <summary>Joins a HEADERS fragment and its CONTINUATIONs in a pooled array, as a connection would, up to a cap.</summary>
internal sealed class FieldBlockBuffer(CountingPool pool, int cap) : IDisposable
{
    private byte[]? _array;

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    /// <summary>False when the block would pass the cap (a connection would refuse it: a CONTINUATION flood).</summary>
    public bool TryAppend(ReadOnlySpan<byte> fragment)
    {
        if (Length + fragment.Length > cap)
        {
            return false;
        }

        if (_array is null || Length + fragment.Length > _array.Length)
        {
            var larger = pool.Rent(Math.Max(Length + fragment.Length, 1024));
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

    public void Clear() => Length = 0;

    public void Dispose()
    {
        if (_array is not null)
        {
            pool.Return(_array);
            _array = null;
        }
    }
}
