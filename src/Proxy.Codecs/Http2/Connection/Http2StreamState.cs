namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>
/// The states of RFC 9113 §5.1 a stream in the table can be in. "Idle" and "closed" streams are not in
/// the table: ids above the highest one opened are idle, the rest are closed (§5.1.1), and the table's
/// memory of recently closed ones (<see cref="Http2StreamTable"/>) says how each closed.
/// </summary>
internal enum Http2StreamState : byte
{
    /// <summary>A client stream whose id is taken (it counts against the concurrency limit) and whose HEADERS are not sent yet.</summary>
    Reserved,

    Open,

    /// <summary>We sent END_STREAM; the peer may still send.</summary>
    HalfClosedLocal,

    /// <summary>The peer sent END_STREAM; we may still send.</summary>
    HalfClosedRemote,

    /// <summary>Both sides sent END_STREAM: the stream leaves the table once the event that closed it is delivered.</summary>
    Closed,
}
