using System.Net;
using MeshEdge.Interop;
using MeshEdge.Native.Network.Interop;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Tls;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Network;

/// <summary>
/// TLS origination: a connection MeshEdge opens to a host of a TLS cluster runs the client handshake
/// once TCP has connected, and only then tells its handler OnConnected, so a pool never hands out a
/// connection whose handshake is still going. A handshake that fails (verification, names, version,
/// the server gone) is a failed connect to the handler: OnConnectFailed, as if TCP had been refused,
/// so pools move on to the next host exactly as they do for a refused connect.
/// </summary>
internal sealed unsafe partial class Connection
{
    /// <summary>The errno a failed client handshake reports to <see cref="IConnectionHandler.OnConnectFailed"/> (EPROTO).</summary>
    public const int TlsHandshakeFailed = 71;

    /// <summary>
    /// Starts a non-blocking connect, with TLS to <paramref name="tls"/>'s host when it is set; as
    /// <see cref="Connect(Worker, IPEndPoint, IConnectionHandler, int, out int)"/> otherwise.
    /// </summary>
    public static Connection? Connect(Worker worker, IPEndPoint endpoint, IConnectionHandler handler, int bufferLimit, TlsClientTarget? tls, out int errno)
    {
        var connection = Connect(worker, endpoint, handler, bufferLimit, out errno);
        if (connection is not null && tls is not null)
        {
            connection._tls = new TlsTransport(connection, tls);
        }

        return connection;
    }

    /// <summary>TCP is up: send the ClientHello (the first handshake step writes it) and read whatever came already.</summary>
    private void StartClientHandshake(uint events)
    {
        _readable = (events & (EPOLLIN | EPOLLRDHUP)) != 0;
        ReadTls();
    }

    /// <summary>
    /// The client handshake failed: the alert libssl queued gets one try at the socket (the server
    /// logs why), then the socket closes and the handler hears a failed connect.
    /// </summary>
    private void FailClientHandshake()
    {
        var tls = _tls!;
        tls.Fail(TlsFailureReason.PeerClosed); // counted once: a refusal was counted with its own reason already
        if (_writable && tls.CipherOut.Head is { } alert)
        {
            var vector = new Iovec { Base = alert.ReadPointer, Length = (nuint)alert.Length };
            SocketIo.Send(Fd, &vector, 1);
        }

        ReleaseResources();
        Handler.OnConnectFailed(this, TlsHandshakeFailed);
    }
}
