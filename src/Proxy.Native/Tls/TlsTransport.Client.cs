using System.Runtime.InteropServices;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.SslClientConstants;
using static MeshEdge.Native.Tls.Interop.SslConstants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// The client role (TLS origination to a cluster's host): SSL_connect state, the SNI, the session
/// to resume, and counting per cluster. No timer of its own: the pools' connect timers run from
/// the TCP connect to the handshake's end (the connection reports OnConnected only then), so the
/// cluster's connect_timeout bounds both.
/// </summary>
internal sealed unsafe partial class TlsTransport : ITlsClientPeer
{
    private bool _clientHandshakeStarted;

    /// <summary>A client transport for a connection to <paramref name="target"/>'s host, made at connect time.</summary>
    public TlsTransport(Connection connection, TlsClientTarget target)
    {
        _connection = connection;
        _stats = null!; // the server counters; the client role counts in Client.Stats
        Client = target;
        Pool = connection.Worker.Pool;
        _self = GCHandle.Alloc(this);
        _ssl = LibSsl.SSL_new(target.Context.Context);
        var bio = BlockChainBio.Create(_self);
        LibSsl.SSL_set_bio(_ssl, bio, bio);
        LibSslClient.SSL_set_connect_state(_ssl);
        LibSslClient.SSL_set_ex_data(_ssl, TlsClientCallbacks.PeerIndex, GCHandle.ToIntPtr(_self));
        if (target.ServerName is { } name)
        {
            fixed (byte* serverName = name)
            {
                LibSslClient.SSL_ctrl(_ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, (nint)serverName);
            }
        }

        if (target.Session != 0)
        {
            LibSslClient.SSL_set_session(_ssl, target.Session);
        }

        _handshakeTimer = new TimerEntry(this, 0);
    }

    /// <summary>Set for a connection MeshEdge opened to an upstream host; null on the server side.</summary>
    public TlsClientTarget? Client { get; }

    /// <summary>Set by the verify callback: the chain verified but the leaf named none of the expected names.</summary>
    public bool ServerNameMismatch { get; set; }

    private TlsStep ClientHandshake()
    {
        if (_clientHandshakeStarted && CipherIn.IsEmpty)
        {
            // Past the ClientHello, the handshake moves only on the server's bytes (see Handshake).
            return TlsStep.NeedMore;
        }

        _clientHandshakeStarted = true;
        var result = LibSsl.SSL_do_handshake(_ssl);
        var stats = Client!.Stats;
        if (result == 1)
        {
            Handshaking = false;
            stats.Handshakes++;
            if (LibSslClient.SSL_session_reused(_ssl) == 1)
            {
                stats.Resumed++;
            }

            return TlsStep.Done;
        }

        if (LibSsl.SSL_get_error(_ssl, result) == SSL_ERROR_WANT_READ)
        {
            return TlsStep.NeedMore;
        }

        // The error queue is emptied first in every case: a stale entry would be blamed on the next connection.
        var reason = OpenSslError.DrainHandshakeFailure();
        FailClient(ServerNameMismatch ? TlsClientFailure.SanMismatch
            : LibSsl.SSL_get_verify_result(_ssl) != X509_V_OK ? TlsClientFailure.VerifyFailed
            : reason switch
            {
                TlsFailureReason.NotTls => TlsClientFailure.NotTls,
                TlsFailureReason.Version => TlsClientFailure.Version,
                TlsFailureReason.NoSharedCipher => TlsClientFailure.NoSharedCipher,
                _ => TlsClientFailure.Other,
            });
        return TlsStep.Failed;
    }

    private void FailClient(TlsClientFailure reason)
    {
        if (Handshaking && !_failed)
        {
            _failed = true;
            Client!.Stats.Failures[(int)reason]++;
        }
    }

    private void FailClient(TlsFailureReason reason) =>
        FailClient(reason == TlsFailureReason.PeerClosed ? TlsClientFailure.PeerClosed : TlsClientFailure.Timeout);

    /// <summary>
    /// The connection is going: a handshake still running was given up by MeshEdge (the connect
    /// timeout, mostly) and is counted. A completed one keeps its session resumable: libssl marks a
    /// session not resumable when its connection is freed without close_notify sent, a TLS 1.0 rule
    /// (TLS 1.1 and later dropped it) that would make every pooled connection closed without one (an
    /// idle timeout, a server that closed first) cost the next connection a full handshake. A
    /// connection that failed with a fatal alert was marked by libssl at the alert, and stays so.
    /// </summary>
    private void ReleaseClient()
    {
        if (Handshaking)
        {
            if (_clientHandshakeStarted)
            {
                FailClient(TlsClientFailure.Timeout);
            }

            return;
        }

        LibSslClient.SSL_set_shutdown(_ssl, SSL_SENT_SHUTDOWN);
    }
}
