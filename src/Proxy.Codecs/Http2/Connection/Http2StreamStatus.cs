namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>Where a frame's stream id stands for the connection (RFC 9113 §5.1).</summary>
internal enum Http2StreamStatus : byte
{
    /// <summary>In the table: open, half-closed or reserved.</summary>
    Active,

    /// <summary>Above the highest id opened on its side: never used.</summary>
    Idle,

    /// <summary>At or below the highest id opened on its side and not in the table.</summary>
    Closed,
}
