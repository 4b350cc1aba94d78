namespace MeshEdge.Functional.Tests.Harness;

/// <summary>How the peer ended a TCP connection, as the client's reads saw it.</summary>
internal enum ConnectionEnd
{
    /// <summary>Still open when the deadline passed.</summary>
    StillOpen,

    /// <summary>A clean close: the peer's FIN, a read returned 0 bytes.</summary>
    Closed,

    /// <summary>An abortive close: the peer's RST (or another socket error) ended the read.</summary>
    Reset,
}
