namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>One live stream: a slot of <see cref="Http2StreamTable"/>, never an object of its own.</summary>
internal struct Http2Stream
{
    public uint Id;
    public Http2StreamState State;

    /// <summary>What we may still send; the peer's WINDOW_UPDATE grows it.</summary>
    public Http2FlowWindow SendWindow;

    /// <summary>What the peer may still send; consumed on DATA, grown when the consumer releases bytes.</summary>
    public Http2FlowWindow ReceiveWindow;

    /// <summary>Bytes released by the consumer and not yet announced in a WINDOW_UPDATE (announced in batches).</summary>
    public int PendingWindowUpdate;

    /// <summary>The peer's content-length (-1 when none), checked against the DATA received (§8.1.1).</summary>
    public long ContentLength;
    public long DataReceived;

    /// <summary>We sent a head on it: a peer reset after this is not premature.</summary>
    public bool HeadSent;

    /// <summary>The head (request, or final response) came; a later field block is trailers.</summary>
    public bool HeadReceived;

    /// <summary><see cref="Http2Connection.SendData"/> could not send everything; the handler hears when it may.</summary>
    public bool Blocked;

    /// <summary>When it became blocked on a window, for the zero-window stall timeout.</summary>
    public long BlockedSince;

    public readonly bool IsLocallyInitiated(Http2ConnectionRole role) => ((Id & 1) == 1) == (role == Http2ConnectionRole.Client);

    public readonly bool CanReceive => State is Http2StreamState.Open or Http2StreamState.HalfClosedLocal;

    public readonly bool CanSend => State is Http2StreamState.Open or Http2StreamState.HalfClosedRemote;
}
