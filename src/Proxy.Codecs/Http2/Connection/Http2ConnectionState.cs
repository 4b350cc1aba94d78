namespace MeshEdge.Codecs.Http2.Connection;

internal enum Http2ConnectionState : byte
{
    /// <summary>Created; <see cref="Http2Connection.Start"/> not called yet.</summary>
    New,

    /// <summary>Streams come and go.</summary>
    Open,

    /// <summary>
    /// We sent the first GOAWAY of a drain (last stream id 2^31-1, NO_ERROR): the peer learns to stop,
    /// and streams it opened before hearing it are still served.
    /// </summary>
    Draining,

    /// <summary>
    /// We sent a final GOAWAY with the last stream we processed, or the peer sent one: no new stream
    /// on either side; the connection closes once the streams in flight are done (<see cref="Http2Connection.CanClose"/>).
    /// </summary>
    GoingAway,

    /// <summary>A connection error: the GOAWAY is queued, flush it and close; nothing more is read.</summary>
    Closed,
}
