namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>
/// The live streams in one array allocated with the connection and bounded by the concurrency limit,
/// plus a small ring of recently closed ids and how each closed. Ids only grow (RFC 9113 §5.1.1), so
/// "closed or idle" needs no memory beyond the highest id opened per side; the ring only tells a
/// stream we reset (frames still in flight are ignored, §5.4.2) from one that closed normally
/// (frames on it are STREAM_CLOSED). Lookup is a scan: at most a hundred or so slots, no hashing.
/// </summary>
internal sealed class Http2StreamTable
{
    private readonly Http2Stream[] _streams;
    private readonly uint[] _closedIds;
    private readonly bool[] _closedByOurReset;
    private int _closedNext;
    private int _lastFound;

    public Http2StreamTable(int capacity, int closedMemory)
    {
        _streams = new Http2Stream[capacity];
        _closedIds = new uint[Math.Max(1, closedMemory)];
        _closedByOurReset = new bool[_closedIds.Length];
    }

    public int Count { get; private set; }

    public int Capacity => _streams.Length;

    public ref Http2Stream this[int index] => ref _streams[index];

    /// <summary>The slot of <paramref name="streamId"/>, or -1. Slots move when a stream is removed: look up again after.</summary>
    public int Find(uint streamId)
    {
        if (_lastFound < Count && _streams[_lastFound].Id == streamId)
        {
            return _lastFound;
        }

        for (var i = 0; i < Count; i++)
        {
            if (_streams[i].Id == streamId)
            {
                _lastFound = i;
                return i;
            }
        }

        return -1;
    }

    /// <summary>Adds a stream (the caller checked <see cref="Count"/> against its limit); returns its slot.</summary>
    public int Add(uint streamId, Http2StreamState state, int sendWindow, int receiveWindow)
    {
        var index = Count++;
        _streams[index] = new Http2Stream
        {
            Id = streamId,
            State = state,
            SendWindow = new Http2FlowWindow(sendWindow),
            ReceiveWindow = new Http2FlowWindow(receiveWindow),
            ContentLength = -1,
        };
        return index;
    }

    /// <summary>Removes the stream at <paramref name="index"/> (the last slot moves into it) and remembers how it closed.</summary>
    public void Remove(int index, bool byOurReset)
    {
        Remember(_streams[index].Id, byOurReset);
        Count--;
        _streams[index] = _streams[Count];
        _streams[Count] = default;
    }

    /// <summary>Records a closed id that never had a slot (a stream refused or reset as it opened).</summary>
    public void Remember(uint streamId, bool byOurReset)
    {
        _closedIds[_closedNext] = streamId;
        _closedByOurReset[_closedNext] = byOurReset;
        _closedNext = (_closedNext + 1) % _closedIds.Length;
    }

    /// <summary>Whether a recently closed stream is remembered, and whether our RST_STREAM closed it.</summary>
    public bool TryRecall(uint streamId, out bool byOurReset)
    {
        for (var i = 0; i < _closedIds.Length; i++)
        {
            if (_closedIds[i] == streamId && streamId != 0)
            {
                byOurReset = _closedByOurReset[i];
                return true;
            }
        }

        byOurReset = false;
        return false;
    }
}
