namespace MeshEdge.Native.Http;

/// <summary>
/// One worker thread's idle header storage (a <see cref="HeaderBlock"/>'s name/value bytes and field
/// array at their initial sizes). <see cref="System.Buffers.ArrayPool{T}.Shared"/> keeps only a few
/// dozen arrays of a size per core, and a worker pinned to one core holds one head per request in
/// flight and one per response being read: with 32 requests in flight (wrk -c32) the shared pool
/// overflowed, dropping and allocating about 2.4 KB per request. Kept per thread (each worker is one),
/// so no locking; it holds at most what the thread's peak of heads at once needed, bounded.
/// </summary>
internal sealed class HeaderStoragePool
{
    public const int BlockBytes = 2048;
    public const int BlockFields = 32;

    /// <summary>Idle arrays of each kind kept beyond this are left to the GC (a burst does not pin its peak forever).</summary>
    private const int MaxIdle = 1024;

    [ThreadStatic]
    private static HeaderStoragePool? t_pool;

    private readonly Stack<byte[]> _bytes = new();
    private readonly Stack<HeaderField[]> _fields = new();

    /// <summary>The calling thread's pool (a worker's, on a worker thread).</summary>
    public static HeaderStoragePool OfThisThread => t_pool ??= new HeaderStoragePool();

    /// <summary>Bytes held idle, for standby's release and the tests.</summary>
    public long IdleBytes => ((long)_bytes.Count * BlockBytes) + ((long)_fields.Count * BlockFields * System.Runtime.CompilerServices.Unsafe.SizeOf<HeaderField>());

    public byte[] RentBytes() => _bytes.TryPop(out var bytes) ? bytes : new byte[BlockBytes];

    public HeaderField[] RentFields() => _fields.TryPop(out var fields) ? fields : new HeaderField[BlockFields];

    public void Return(byte[] bytes)
    {
        if (bytes.Length == BlockBytes && _bytes.Count < MaxIdle)
        {
            _bytes.Push(bytes);
        }
    }

    public void Return(HeaderField[] fields)
    {
        if (fields.Length == BlockFields && _fields.Count < MaxIdle)
        {
            _fields.Push(fields);
        }
    }

    /// <summary>Lets the GC have every idle array (standby); returns the bytes let go.</summary>
    public long Release()
    {
        var released = IdleBytes;
        _bytes.Clear();
        _bytes.TrimExcess();
        _fields.Clear();
        _fields.TrimExcess();
        return released;
    }
}
