namespace MeshEdge.Codecs.Http2;

/// <summary>The outcome of reading one frame.</summary>
internal readonly record struct Http2ReadResult(Http2ReadStatus Status, int FrameLength, Http2Error Error)
{
    public static Http2ReadResult Complete(int frameLength) => new(Http2ReadStatus.Complete, frameLength, Http2Error.None);

    /// <summary><paramref name="frameLength"/> is 0 while even the 9-byte header is incomplete.</summary>
    public static Http2ReadResult NeedMoreData(int frameLength = 0) => new(Http2ReadStatus.NeedMoreData, frameLength, Http2Error.None);

    public static Http2ReadResult Failed(Http2Error error, int frameLength) =>
        new(error.IsConnectionError ? Http2ReadStatus.ConnectionError : Http2ReadStatus.StreamError, frameLength, error);
}
