namespace MeshEdge.Codecs.Http2;

internal enum Http2ReadStatus : byte
{
    /// <summary>A whole, valid frame: the view is set and <see cref="Http2ReadResult.FrameLength"/> bytes are consumed.</summary>
    Complete,

    /// <summary>Not a whole frame yet; <see cref="Http2ReadResult.FrameLength"/> says how many bytes it needs when the header was readable.</summary>
    NeedMoreData,

    /// <summary>
    /// A whole frame that ends its stream with RST_STREAM: the view is still set (a HEADERS frame's
    /// field block must still go through the HPACK decoder to keep its table in step), the bytes are
    /// consumed, the connection goes on.
    /// </summary>
    StreamError,

    /// <summary>The connection ends with GOAWAY; nothing after this is read.</summary>
    ConnectionError,
}
