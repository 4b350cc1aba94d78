using System.Runtime.CompilerServices;
using MeshEdge.Codecs.Rpc;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// One worker context's request records, each at a fixed index for its whole life, with a free list
/// threaded through them by index. Whatever links records to each other (a session's open requests,
/// an upstream connection's in-flight table, the free list itself) holds these indexes rather than
/// references: storing an int needs no GC write barrier, where each reference stored into a record
/// or a table went through one (about 14 a call, ~130 instructions, before the links became ints).
/// </summary>
internal sealed class RpcRequestRecords<TCodec>
    where TCodec : struct, IRpcCodec
{
    /// <summary>No record: the end of a list.</summary>
    public const int None = -1;

    private RpcRequest<TCodec>[] _records = new RpcRequest<TCodec>[16];
    private int _free = None;

    /// <summary>Records made so far (in use or free); they are never dropped.</summary>
    public int Count { get; private set; }

    /// <summary>Records on the free list.</summary>
    public int FreeCount { get; private set; }

    public RpcRequest<TCodec> this[int index] => _records[index];

    /// <summary>A free record (the one released last first: its memory is the warmest), else a new one.</summary>
    /// <remarks>Inlined, as is <see cref="Return"/>: a few loads and stores per call; the growth is out of line.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RpcRequest<TCodec> Rent()
    {
        var index = _free;
        if (index >= 0)
        {
            var request = _records[index];
            _free = request.NextFree;
            FreeCount--;
            return request;
        }

        return Add();
    }

    /// <summary>Puts <paramref name="request"/>, reset by its owner, back on the free list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Return(RpcRequest<TCodec> request)
    {
        request.NextFree = _free;
        _free = request.Index;
        FreeCount++;
    }

    /// <summary>
    /// Takes the first record of <paramref name="list"/>, a list of spare records kept by their user
    /// (a session, <see cref="PutSpare"/>) apart from the free list, which is not empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RpcRequest<TCodec> TakeSpare(ref int list)
    {
        var request = _records[list];
        list = request.NextFree;
        return request;
    }

    /// <summary>Puts <paramref name="request"/>, reset by its owner, first on the spare list <paramref name="list"/> (see <see cref="TakeSpare"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PutSpare(ref int list, RpcRequest<TCodec> request)
    {
        request.NextFree = list;
        list = request.Index;
    }

    /// <summary>
    /// Gives every record of the spare list <paramref name="list"/> back to the free list, and empties
    /// it. Their session has ended: the references kept across reuse to skip a store go too, so that
    /// a free record does not hold an ended session (and through it its connection) until it is rented.
    /// </summary>
    public void ReturnSpares(ref int list)
    {
        while (list >= 0)
        {
            var request = _records[list];
            list = request.NextFree;
            request.Session = null;
            request.Upstream = null;
            Return(request);
        }
    }

    /// <summary>
    /// A pool let go of its retired cluster: free records forget the upstream connections they kept
    /// across reuse (any of them may be that cluster's), which would otherwise hold the cluster, and a
    /// TLS cluster's OpenSSL context, until the record is rented again.
    /// </summary>
    public void ForgetUpstreamsOfFreeRecords()
    {
        for (var i = 0; i < Count; i++)
        {
            if (_records[i].State == RpcRequestState.Free)
            {
                _records[i].Upstream = null;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RpcRequest<TCodec> Add()
    {
        if (Count == _records.Length)
        {
            Array.Resize(ref _records, _records.Length * 2);
        }

        var request = new RpcRequest<TCodec>(Count);
        request.Reset();
        _records[Count++] = request;
        return request;
    }
}
