using MeshEdge.Native.Tls;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Network;

/// <summary>
/// The TLS side of a connection. Socket state and plaintext are kept apart: the short-read and
/// short-write shortcuts look at what recv and sendmsg moved (ciphertext), never at plaintext
/// counts, so edge-triggered epoll cannot strand a record; the handshake reads even while the
/// session has paused reading, and writes (handshake flights, tickets, alerts, close_notify) when
/// the session has queued nothing; the session hears OnConnected only once the handshake is done.
/// </summary>
internal sealed unsafe partial class Connection
{
    /// <summary>Ciphertext made ahead of the socket at most: plaintext waits in the output queue (where watermarks see it) beyond this.</summary>
    private const int TlsCipherQueueBytes = 128 * 1024;

    private TlsTransport? _tls;

    /// <summary>Whether epoll reports EPOLLOUT for this socket; an accepted TLS connection starts without.</summary>
    private bool _watchingWritable;

    /// <summary>The connection's TLS state (ALPN, version); null for a plaintext connection.</summary>
    public TlsTransport? Tls => _tls;

    /// <summary>
    /// An accepted TLS connection reads its ClientHello in the turn that accepted it (the listener
    /// defers accepting until the client's first bytes, see <see cref="ListenerSocket"/>), so the
    /// server's flight leaves in that same turn, without waiting for a readiness event. The read runs
    /// once the session has started, after the event batch.
    /// </summary>
    private void AnswerHelloOnAccept() => Worker.ScheduleRead(this);

    /// <summary>
    /// A socket that does not watch EPOLLOUT starts to, once a send comes up short. An accepted TLS
    /// connection is registered for reads only: with EPOLLOUT in its mask, epoll reports a writable
    /// socket with every event, so the registration itself (a fresh socket is writable) and the
    /// shutdown of the write side each wake the worker for nothing; responses of a few records never
    /// fill the socket buffer. The change re-polls the socket, so an edge that came meanwhile is not lost.
    /// </summary>
    private void WatchWritable()
    {
        if (!_watchingWritable && Fd >= 0)
        {
            _watchingWritable = true;
            Worker.Modify(_slot, Fd, WatchedEvents);
        }
    }

    private void ReadTls()
    {
        var tls = _tls!;
        var budget = ReadBudgetBytes;
        while (State == ConnectionState.Open && !_readEof)
        {
            if (tls.Handshaking && !AdvanceHandshake(tls))
            {
                return;
            }

            if (!tls.Handshaking)
            {
                if (_readDisableCount > 0)
                {
                    return;
                }

                var result = DecryptInput(tls, ref budget);
                if (result != TlsTransport.NeedMoreInput)
                {
                    if (result == 0 && State == ConnectionState.Open && !_readEof)
                    {
                        // close_notify: the peer is done sending.
                        _readEof = true;
                        Handler.OnReadEof(this);
                    }
                    else if (result == TlsTransport.Broken)
                    {
                        CloseNow(CloseReason.RemoteError);
                    }

                    return;
                }
            }

            if (!_readable || !ReceiveCiphertext(tls))
            {
                return;
            }
        }
    }

    /// <summary>Runs the handshake on what has arrived; false when reading must stop here.</summary>
    private bool AdvanceHandshake(TlsTransport tls)
    {
        var hadInput = !tls.CipherIn.IsEmpty;
        var step = tls.Handshake();
        var answered = !tls.CipherOut.IsEmpty;
        if (step == TlsStep.NeedMore && !tls.CipherOut.IsEmpty)
        {
            // A flight in the middle of the handshake (the server's answer to a ClientHello) leaves
            // now, not at the end of the turn: the turn may go on to sign other clients' handshakes
            // (1.4 ms each with RSA 2048), and each client would wait for all of them, then all come
            // back at once and leave the core idle while they work. Nothing else can join this send.
            if (!Send(tls.CipherOut, plaintext: false))
            {
                return false;
            }

            if (!tls.CipherOut.IsEmpty)
            {
                Worker.ScheduleFlush(this);
            }
        }
        else if (!tls.CipherOut.IsEmpty && !(step == TlsStep.Done && tls.TicketsCanWaitForResponse))
        {
            Worker.ScheduleFlush(this);
        }

        if (step == TlsStep.Failed)
        {
            CloseAfterTlsFailure();
            return false;
        }

        if (hadInput && !answered && tls.CipherIn.IsEmpty)
        {
            // The client's bytes moved the handshake and the server has nothing to answer them with
            // (a record cut in two, a resumed TLS 1.2 handshake's last flight, TLS 1.3 without
            // tickets), and no request came with them: the client may be holding its next write for
            // the ACK. A flight, tickets, or a request whose response carries the ACK need none.
            AckPromptly();
        }

        if (step == TlsStep.Done)
        {
            if (tls.NegotiatedHttp2)
            {
                // HTTP/2's streams interleave both ways; its ACKs stay the kernel's to time.
                AckPromptly();
            }

            Handler.OnConnected(this);
            if (!Output.IsEmpty && State == ConnectionState.Open)
            {
                Worker.ScheduleFlush(this);
            }
        }

        return State == ConnectionState.Open;
    }

    /// <summary>
    /// Decrypts into the input and hands it to the session; returns <see cref="TlsTransport.NeedMoreInput"/>
    /// when more ciphertext is needed, else why it stopped (0 close_notify, <see cref="TlsTransport.Broken"/>,
    /// or 1 when the session paused, closed or the budget ran out).
    /// </summary>
    private int DecryptInput(TlsTransport tls, ref int budget)
    {
        var cipherQueued = tls.CipherOut.Length;
        while (true)
        {
            long got = 0;
            int result;
            do
            {
                var block = Input.GetWritableTail(Worker.Pool);
                result = tls.Decrypt(block.WritePointer, block.Free);
                if (result > 0)
                {
                    Input.Commit(result);
                    got += result;
                }
            }
            while (result > 0 && got < budget);

            Input.TrimEmptyTail(Worker.Pool);
            if (tls.CipherOut.Length > cipherQueued)
            {
                // TLS 1.3 post-handshake messages (a KeyUpdate) are answered from inside SSL_read;
                // what was queued before (tickets waiting for the response) waits on.
                Worker.ScheduleFlush(this);
            }

            if (got == 0)
            {
                return result;
            }

            BytesRead += got;
            LastActivityMs = Worker.NowMs;
            CountReceived(got);
            Handler.OnData(this);
            if (State != ConnectionState.Open || _readDisableCount > 0)
            {
                return 1;
            }

            budget -= (int)got;
            if (budget <= 0)
            {
                Worker.ScheduleRead(this);
                return 1;
            }

            if (result <= 0)
            {
                return result;
            }
        }
    }

    /// <summary>One recv of ciphertext; false when reading must stop (drained, end of stream, error).</summary>
    private bool ReceiveCiphertext(TlsTransport tls)
    {
        var block = tls.CipherIn.GetWritableTail(Worker.Pool);
        var want = block.Free;
        var n = SocketIo.Receive(Fd, block.WritePointer, want);
        if (n > 0)
        {
            tls.CipherIn.Commit((int)n);
            LastActivityMs = Worker.NowMs;
            if (n < want && !_peerClosedWrite)
            {
                // The socket is drained (what recv moved, not what decrypts to, is socket state);
                // what is buffered is still decrypted before the loop stops.
                _readable = false;
            }

            return true;
        }

        tls.CipherIn.TrimEmptyTail(Worker.Pool);
        var errno = n == 0 ? 0 : (int)-n;
        if (errno is EAGAIN)
        {
            _readable = false;
            return false;
        }

        if (errno is EINTR)
        {
            return true;
        }

        _readable = false;
        if (tls.Handshaking)
        {
            tls.Fail(TlsFailureReason.PeerClosed);
            CloseNow(CloseReason.RemoteError);
        }
        else if (n == 0)
        {
            // End of stream without close_notify: HTTP's own framing says whether anything was cut.
            _readEof = true;
            Handler.OnReadEof(this);
        }
        else
        {
            CloseNow(CloseReason.RemoteError);
        }

        return false;
    }

    /// <summary>Encrypts queued plaintext (bounded ahead of the socket) and sends the ciphertext; false when the connection closed.</summary>
    private bool FlushTls()
    {
        var tls = _tls!;
        while (true)
        {
            if (!tls.Handshaking)
            {
                while (!Output.IsEmpty && tls.CipherOut.Length < TlsCipherQueueBytes)
                {
                    var head = Output.Head!;
                    var n = tls.Encrypt(head.ReadPointer, head.Length);
                    if (n < 0)
                    {
                        CloseNow(CloseReason.RemoteError);
                        return false;
                    }

                    Output.Consume(n, Worker.Pool);
                    BytesWritten += n;
                    CountSent(n);
                }

                if (Output.IsEmpty && ClosingWrites && tls.CloseNotifyPending)
                {
                    // The close_notify goes out in the same send as the last record.
                    tls.SendCloseNotify();
                }
            }

            if (!Send(tls.CipherOut, plaintext: false))
            {
                return false;
            }

            if (!_writable || Output.IsEmpty || tls.Handshaking)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// With the plaintext all encrypted: owes the peer a close_notify when closing or half-closing,
    /// and says whether every ciphertext byte has reached the socket.
    /// </summary>
    private bool FinishTlsOutput()
    {
        var tls = _tls!;
        if (ClosingWrites && tls.CloseNotifyPending)
        {
            tls.SendCloseNotify();
            if (!Send(tls.CipherOut, plaintext: false))
            {
                return false;
            }
        }

        return tls.CipherOut.IsEmpty;
    }

    /// <summary>Closing, or half-closing with FIN not yet sent: the peer is owed a close_notify after the last record.</summary>
    private bool ClosingWrites => State == ConnectionState.Closing || (_shutdownWriteRequested && !_writeShutDown);

    /// <summary>A refused handshake: the alert libssl queued goes out, then the socket closes.</summary>
    private void CloseAfterTlsFailure()
    {
        if (_tls!.Client is not null)
        {
            FailClientHandshake();
            return;
        }

        Input.Clear(Worker.Pool);
        if (_tls!.CipherOut.IsEmpty)
        {
            CloseNow(CloseReason.RemoteError);
            return;
        }

        State = ConnectionState.Closing;
        Worker.ScheduleFlush(this);
    }
}
