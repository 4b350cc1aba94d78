namespace MeshEdge.Codecs.Http1;

/// <summary>
/// The outcome of one head parse. <see cref="Consumed"/> counts bytes the caller may release: whole
/// lines already delivered to the handler, even when the head is not complete yet. On
/// <see cref="Http1ParseStatus.Complete"/> it ends exactly at the end of the head, so pipelined
/// bytes after it stay for the body reader or the next message.
/// </summary>
internal readonly struct Http1ParseResult
{
    private Http1ParseResult(Http1ParseStatus status, long consumed, Http1Error error, int statusToSend)
    {
        Status = status;
        Consumed = consumed;
        Error = error;
        StatusToSend = statusToSend;
    }

    public Http1ParseStatus Status { get; }

    public long Consumed { get; }

    public Http1Error Error { get; }

    /// <summary>For <see cref="Http1ParseStatus.Error"/>: the status of the local reply (400, 414, 431, 501, 505; 502 for a bad response).</summary>
    public int StatusToSend { get; }

    public static Http1ParseResult NeedMoreData(long consumed) => new(Http1ParseStatus.NeedMoreData, consumed, Http1Error.None, 0);

    public static Http1ParseResult Complete(long consumed) => new(Http1ParseStatus.Complete, consumed, Http1Error.None, 0);

    public static Http1ParseResult Failed(Http1Error error, long consumed, int statusToSend) =>
        new(Http1ParseStatus.Error, consumed, error, statusToSend);

    public override string ToString() => Status == Http1ParseStatus.Error
        ? $"Error({Error}, {StatusToSend})"
        : $"{Status}({Consumed})";
}
