using MeshEdge.Config.Model;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.SslConstants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// The listener settings applied to each server context after <see cref="TlsContextBuilder"/> made it:
/// how many session tickets a handshake sends (<c>session_tickets</c>) and whose cipher order decides
/// (<c>prefer_server_ciphers</c>). Both decide what every client pays per handshake as much as what
/// we pay: each ticket is a record the client reads and a session it copies, and the suite chosen
/// sets the hash of the whole key schedule on both ends.
/// </summary>
internal static class TlsServerOptions
{
    public static void Apply(nint ctx, TlsConfig config)
    {
        // TLS 1.3 sends this many tickets after a full handshake and after a resumed one; TLS 1.2
        // sends one when the client asks, unless tickets are off altogether.
        LibSsl.SSL_CTX_set_num_tickets(ctx, (nuint)config.SessionTickets);
        if (config.SessionTickets == 0)
        {
            LibSsl.SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
        }

        if (config.PreferServerCiphers)
        {
            // Our list's order (Mozilla's: AES-128-GCM first, a SHA-256 key schedule, where clients
            // such as OpenSSL's put AES-256-GCM with SHA-384 first), except that a client listing
            // ChaCha20 first keeps it: that client has no AES instructions.
            LibSsl.SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_PRIORITIZE_CHACHA);
        }
    }
}
