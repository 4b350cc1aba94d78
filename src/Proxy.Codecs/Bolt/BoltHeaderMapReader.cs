using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace MeshEdge.Codecs.Bolt;

/// <summary>
/// Walks a Bolt header map ({i32 keyLen, key, i32 valueLen, value}*) in place. A negative length is
/// how SOFA's SimpleMapSerializer writes a null string (sofa-bolt-node writes -1 for a null value):
/// it reads as empty and takes no bytes.
/// </summary>
/// <remarks>
/// Its methods are inlined by request so that a lookup's loop keeps the reader in registers: as a
/// call, every entry's strings went out through the stack and were read back (three scans a request).
/// </remarks>
internal ref struct BoltHeaderMapReader
{
    private ReadOnlySpan<byte> _remaining;

    public BoltHeaderMapReader(ReadOnlySpan<byte> headerMap)
    {
        _remaining = headerMap;
        IsMalformed = false;
    }

    /// <summary>Set when an entry overran the map; reading stops there.</summary>
    public bool IsMalformed { get; private set; }

    /// <summary>Reads the next entry; false at the end of the map or at a malformed entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadNext(out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (_remaining.IsEmpty || !TryReadString(out key) || !TryReadString(out value))
        {
            key = default;
            return false;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadString(out ReadOnlySpan<byte> text)
    {
        text = default;
        if (_remaining.Length < 4)
        {
            IsMalformed = true;
            return false;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(_remaining);
        _remaining = _remaining[4..];
        if (length <= 0)
        {
            return true;
        }

        if (length > _remaining.Length)
        {
            IsMalformed = true;
            return false;
        }

        text = _remaining[..length];
        _remaining = _remaining[length..];
        return true;
    }
}
