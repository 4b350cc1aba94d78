namespace MeshEdge.Native.Network;

/// <summary>
/// The session above a connection (TCP proxy now; protocol codecs later). Every call comes on the
/// connection's worker thread; the connection passes itself so one session can own both sides.
/// </summary>
internal interface IConnectionHandler
{
    /// <summary>An outgoing connection finished its handshake.</summary>
    void OnConnected(Connection connection);

    /// <summary>An outgoing connection failed before it was established; it is already closed.</summary>
    void OnConnectFailed(Connection connection, int errno);

    /// <summary>New bytes are in <see cref="Connection.Input"/>.</summary>
    void OnData(Connection connection);

    /// <summary>The peer closed its sending side; nothing more will arrive.</summary>
    void OnReadEof(Connection connection);

    /// <summary>The connection's unsent output passed its high watermark: stop feeding it.</summary>
    void OnAboveHighWatermark(Connection connection);

    /// <summary>The unsent output fell below the low watermark: feeding may resume.</summary>
    void OnBelowLowWatermark(Connection connection);

    /// <summary>The connection is closed and its fd and buffers are gone.</summary>
    void OnClosed(Connection connection, CloseReason reason);
}
