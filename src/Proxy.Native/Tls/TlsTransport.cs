using System.Runtime.InteropServices;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.SslConstants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// One connection's TLS state, on its worker: the OpenSSL session, the ciphertext read from the
/// socket and not yet decrypted (<see cref="CipherIn"/>), the ciphertext made and not yet sent
/// (<see cref="CipherOut"/>), both in the worker's pooled blocks, and the handshake's deadline.
/// The connection moves ciphertext between these chains and the socket (so reads and writes stay
/// its own, one sendmsg per turn) and plaintext between libssl and its input and output queues.
/// </summary>
internal sealed unsafe partial class TlsTransport : ITimerHandler
{
    private readonly Connection _connection;
    private readonly TlsStats _stats;
    // Dropped once the handshake is over (an established connection keeps no timer of its own here).
    private TimerEntry? _handshakeTimer;
    private GCHandle _self;
    private nint _ssl;
    private bool _closeNotifySent;
    private bool _failed;
    private bool _probePlainHttp;
    private readonly bool _answersEveryRequest;
    private readonly Config.Model.ClientCertDetails? _clientCertElement;

    public TlsTransport(Connection connection, TlsServerContext context, TlsStats stats)
    {
        _connection = connection;
        _stats = stats;
        Pool = connection.Worker.Pool;
        _self = GCHandle.Alloc(this);
        _ssl = LibSsl.SSL_new(context.Current.DefaultContext);
        var bio = BlockChainBio.Create(_self);
        LibSsl.SSL_set_bio(_ssl, bio, bio);
        LibSsl.SSL_set_accept_state(_ssl);
        var handshakeTimer = _handshakeTimer = new TimerEntry(this, 0);
        _probePlainHttp = context.AnswersPlainHttp;
        _answersEveryRequest = context.AnswersPlainHttp;
        _clientCertElement = context.ClientCertElement;
        connection.Worker.Timers.Arm(handshakeTimer, connection.Worker.NowMs, context.HandshakeTimeoutMs);
    }

    public BlockPool Pool { get; }

    /// <summary>Ciphertext read from the socket, not yet taken by libssl.</summary>
    public BlockChain CipherIn { get; } = new();

    /// <summary>Ciphertext libssl made (handshake messages, records, alerts), not yet sent.</summary>
    public BlockChain CipherOut { get; } = new();

    /// <summary>Set by the BIO when it last told libssl to retry a read (so the flag is cleared only when set).</summary>
    internal bool BioRetryFlagged;

    /// <summary>The last SSL_read filled its buffer: the rest of that record's plaintext may wait in libssl.</summary>
    private bool _plaintextMayRemain;

    public bool Handshaking { get; private set; } = true;

    /// <summary>The peer's identity, version and cipher, captured when the handshake completed; null before.</summary>
    public TlsPeerIdentity? Peer { get; private set; }

    /// <summary>Whether a close_notify is still owed to the peer (the handshake completed and none was sent).</summary>
    public bool CloseNotifyPending => !Handshaking && !_closeNotifySent && _ssl != 0;

    /// <summary>
    /// The handshake just completed on an HTTP listener and the client's request came with its
    /// Finished (its records wait in <see cref="CipherIn"/>): the session tickets libssl queued can
    /// leave with the response, one send and one wake-up of the client fewer, rather than on their
    /// own in front of it. Tickets only matter to a later connection; every request is answered (or
    /// the connection closed, and a close sends what is queued).
    /// </summary>
    public bool TicketsCanWaitForResponse => _answersEveryRequest && Client is null && !Handshaking && !CipherIn.IsEmpty;

    /// <summary>Bytes that libssl can still turn into plaintext without a socket read: a resumed read must not wait for an edge.</summary>
    public bool HasBufferedInput => !CipherIn.IsEmpty || _plaintextMayRemain;

    /// <summary>Advances the handshake with what <see cref="CipherIn"/> holds; counts its outcome.</summary>
    public TlsStep Handshake()
    {
        if (Client is not null)
        {
            return ClientHandshake();
        }

        if (CipherIn.IsEmpty)
        {
            // A server's handshake moves only on the client's bytes: with none new, SSL_do_handshake
            // would only say WANT_READ (after a BIO read and an error lookup), as it would on the
            // event that accepted the connection and on the one after each flight.
            return TlsStep.NeedMore;
        }

        if (_probePlainHttp)
        {
            _probePlainHttp = false;
            if (PlainHttpOnTlsPort.TryAnswer(this))
            {
                return TlsStep.Failed;
            }
        }

        var result = LibSsl.SSL_do_handshake(_ssl);
        if (result == 1)
        {
            Handshaking = false;
            StopHandshakeTimer();
            _stats.Handshakes++;
            Peer = TlsPeerIdentity.Capture(_ssl, _clientCertElement);
            return TlsStep.Done;
        }

        if (LibSsl.SSL_get_error(_ssl, result) == SSL_ERROR_WANT_READ)
        {
            return TlsStep.NeedMore;
        }

        Fail(TlsPeerVerifier.Refine(_ssl, OpenSslError.DrainHandshakeFailure()));
        return TlsStep.Failed;
    }

    /// <summary>The handshake ended without libssl's say (timeout, peer gone): counted once.</summary>
    public void Fail(TlsFailureReason reason)
    {
        if (Client is not null)
        {
            FailClient(reason);
            return;
        }

        if (Handshaking && !_failed)
        {
            _failed = true;
            _stats.Failures[(int)reason]++;
            StopHandshakeTimer();
        }
    }

    /// <summary>
    /// Plaintext into <paramref name="buffer"/>: the count; 0 when the peer sent close_notify;
    /// <see cref="NeedMoreInput"/> when a whole record has not arrived; <see cref="Broken"/> on a bad record.
    /// </summary>
    public int Decrypt(byte* buffer, int length)
    {
        if (CipherIn.IsEmpty && !_plaintextMayRemain)
        {
            // libssl reads no further than the record it is on (no read-ahead) and hands out one
            // record's plaintext per SSL_read: with nothing new from the socket and its last answer
            // short of the buffer, it holds no plaintext, and SSL_read would only say WANT_READ
            // (after a BIO read and an error lookup): on each event before the recv, and after
            // each record.
            return NeedMoreInput;
        }

        var result = LibSsl.SSL_read(_ssl, buffer, length);
        _plaintextMayRemain = result == length;
        if (result > 0)
        {
            return result;
        }

        switch (LibSsl.SSL_get_error(_ssl, result))
        {
            case SSL_ERROR_WANT_READ:
                return NeedMoreInput;
            case SSL_ERROR_ZERO_RETURN:
                return 0;
            default:
                LibCrypto.ERR_clear_error();
                return Broken;
        }
    }

    /// <summary>Encrypts <paramref name="length"/> bytes into <see cref="CipherOut"/>; the count taken, or <see cref="Broken"/>.</summary>
    public int Encrypt(byte* buffer, int length)
    {
        var result = LibSsl.SSL_write(_ssl, buffer, length);
        if (result > 0)
        {
            return result;
        }

        LibCrypto.ERR_clear_error();
        return Broken;
    }

    /// <summary>Queues the close_notify alert in <see cref="CipherOut"/> (TLS's half-close).</summary>
    public void SendCloseNotify()
    {
        _closeNotifySent = true;
        LibSsl.SSL_shutdown(_ssl);
        LibCrypto.ERR_clear_error();
    }

    public void OnTimer(TimerEntry timer)
    {
        Fail(TlsFailureReason.Timeout);
        _connection.Close(CloseMode.Abort);
    }

    /// <summary>Frees the session (and its BIO) and returns every block; the connection is closing.</summary>
    public void Release()
    {
        if (_ssl == 0)
        {
            return;
        }

        StopHandshakeTimer();
        if (Client is not null)
        {
            ReleaseClient();
        }

        LibSsl.SSL_free(_ssl);
        _ssl = 0;
        _self.Free();
        CipherIn.Clear(Pool);
        CipherOut.Clear(Pool);
    }

    private void StopHandshakeTimer()
    {
        if (_handshakeTimer is { } timer)
        {
            _connection.Worker.Timers.Cancel(timer);
            _handshakeTimer = null;
        }
    }

    public const int NeedMoreInput = -1;

    public const int Broken = -2;
}
