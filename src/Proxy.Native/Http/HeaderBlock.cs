using System.Buffers;
using System.Text;
using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Http;

/// <summary>
/// Header fields kept for as long as their message lives, whichever HTTP version brought them: a
/// codec's spans are valid only during its callbacks, so names and values are copied once into an
/// array rented on first use (from the worker thread's <see cref="HeaderStoragePool"/>) and given back
/// by <see cref="End"/>. Nothing is held between messages.
/// The request and response heads add their start lines; trailers use it as it is.
/// </summary>
internal class HeaderBlock
{
    private byte[] _bytes = [];
    private HeaderField[] _fields = [];
    private int _used;

    public int FieldCount { get; private set; }

    /// <summary>The index of the Content-Length field, or -1.</summary>
    public int ContentLengthField { get; private set; } = -1;

    public bool IsActive => _bytes.Length > 0;

    public ref readonly HeaderField Field(int index) => ref _fields[index];

    public ReadOnlySpan<byte> Name(int index) => _bytes.AsSpan(_fields[index].NameOffset, _fields[index].NameLength);

    public ReadOnlySpan<byte> Value(int index) => _bytes.AsSpan(_fields[index].ValueOffset, _fields[index].ValueLength);

    /// <summary>The first field named <paramref name="lowerCaseName"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> lowerCaseName)
    {
        for (var i = 0; i < FieldCount; i++)
        {
            if (_fields[i].NameLength == lowerCaseName.Length && Ascii.EqualsIgnoreCase(Name(i), lowerCaseName))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Starts a new message: storage rented if not held, every field forgotten.</summary>
    public virtual void Begin()
    {
        if (!IsActive)
        {
            var pool = HeaderStoragePool.OfThisThread;
            _bytes = pool.RentBytes();
            _fields = pool.RentFields();
        }

        _used = 0;
        FieldCount = 0;
        ContentLengthField = -1;
    }

    /// <summary>Gives the storage back; its owner calls it when the message is over.</summary>
    public void End()
    {
        if (!IsActive)
        {
            return;
        }

        var pool = HeaderStoragePool.OfThisThread;
        ReturnBytes(pool, _bytes);
        ReturnFields(pool, _fields);
        _bytes = [];
        _fields = [];
        FieldCount = 0;
    }

    public void AddField(Http1KnownHeader known, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (!IsActive)
        {
            Begin();
        }

        if (FieldCount == _fields.Length)
        {
            var larger = ArrayPool<HeaderField>.Shared.Rent(_fields.Length * 2);
            _fields.AsSpan(0, FieldCount).CopyTo(larger);
            ReturnFields(HeaderStoragePool.OfThisThread, _fields);
            _fields = larger;
        }

        var index = FieldCount++;
        _fields[index] = new HeaderField
        {
            Known = known,
            NameOffset = Store(name),
            NameLength = name.Length,
            ValueOffset = Store(value),
            ValueLength = value.Length,
        };
        if (known == Http1KnownHeader.ContentLength && ContentLengthField < 0)
        {
            ContentLengthField = index;
        }

        OnFieldAdded(known, index);
    }

    /// <summary>
    /// Marks a field as meant for this hop only (Connection and what it names, Transfer-Encoding,
    /// Keep-Alive...): the codec that read it decides, and no codec writes it on.
    /// </summary>
    public void DropField(int index) => _fields[index].Dropped = true;

    protected virtual void OnFieldAdded(Http1KnownHeader known, int index)
    {
    }

    protected int Store(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > _bytes.Length)
        {
            // The parsers bound a head (max_request_headers_size), so this grows a few times at most.
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, _used + bytes.Length));
            _bytes.AsSpan(0, _used).CopyTo(larger);
            ReturnBytes(HeaderStoragePool.OfThisThread, _bytes);
            _bytes = larger;
        }

        var offset = _used;
        bytes.CopyTo(_bytes.AsSpan(offset));
        _used += bytes.Length;
        return offset;
    }

    // The first arrays of a message are the worker's (pooled at their initial size); the rare larger
    // ones a big head grows into go back to the shared pool they came from.
    private static void ReturnBytes(HeaderStoragePool pool, byte[] bytes)
    {
        if (bytes.Length == HeaderStoragePool.BlockBytes)
        {
            pool.Return(bytes);
        }
        else
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static void ReturnFields(HeaderStoragePool pool, HeaderField[] fields)
    {
        if (fields.Length == HeaderStoragePool.BlockFields)
        {
            pool.Return(fields);
        }
        else
        {
            ArrayPool<HeaderField>.Shared.Return(fields);
        }
    }

    /// <summary>Where the last stored bytes end, for a caller that stores a run in several pieces.</summary>
    protected int Used => _used;

    protected ReadOnlySpan<byte> Stored(int offset, int length) => _bytes.AsSpan(offset, length);
}
