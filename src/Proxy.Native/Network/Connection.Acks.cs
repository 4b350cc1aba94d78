using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Network;

/// <summary>
/// Delayed ACKs on an accepted connection whose listener asks for them (<see cref="ListenerSocket.DelaysAcks"/>):
/// the kernel holds the ACK of what the client sent until the server's next segment carries it, or
/// its delayed-ACK timer (40 ms and more) runs out. That wait matters only where the server sends
/// nothing while the client may be waiting for the ACK: a client with Nagle's algorithm on holds a
/// small write back until its previous one is acknowledged. Where the protocol waits for more of
/// the client's bytes with nothing to answer yet (a request head or body cut between two writes, a
/// handshake whose last flight the server does not answer), the connection asks for the ACK at once.
/// </summary>
internal sealed partial class Connection
{
    /// <summary>Whether the socket may still be holding its ACKs back (it was accepted so, and has not been told otherwise).</summary>
    private bool _acksDelayed;

    /// <summary>
    /// The client may be waiting for an ACK the server has no bytes to carry: quick ACKs from now on,
    /// and the pending one at once (TCP_QUICKACK on sends it). Once per connection: after it the
    /// kernel's own heuristics decide, as for any socket.
    /// </summary>
    public void AckPromptly()
    {
        if (!_acksDelayed || Fd < 0)
        {
            return;
        }

        _acksDelayed = false;
        SocketOptions.SetInt(Fd, IPPROTO_TCP, TCP_QUICKACK, 1);
    }
}
