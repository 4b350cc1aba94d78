namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>Where a block's pseudo-headers are (-1: absent) and the values the connection itself needs.</summary>
internal struct Http2PseudoHeaders
{
    public int Count;
    public int Method;
    public int Scheme;
    public int Authority;
    public int Path;
    public int Protocol;
    public int StatusIndex;

    /// <summary>:status's value once parsed; 0 when absent.</summary>
    public int Status;
    public long ContentLength;

    public static Http2PseudoHeaders None => new() { Method = -1, Scheme = -1, Authority = -1, Path = -1, Protocol = -1, StatusIndex = -1, ContentLength = -1 };
}
