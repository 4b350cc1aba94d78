using MeshEdge.Interop;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Network;

/// <summary>The read side: edge-triggered reads into pooled blocks, paused by the session at will.</summary>
internal sealed unsafe partial class Connection
{
    /// <summary>Bytes read per turn before other connections get theirs; the rest waits a turn.</summary>
    private const int ReadBudgetBytes = 256 * 1024;

    private bool _readable;
    private bool _peerClosedWrite;
    private bool _readEof;
    private int _readDisableCount;

    public bool ReadEof => _readEof;

    /// <summary>
    /// Bytes may wait unread: in the input, in TLS's buffers, or in the socket (an edge or a full
    /// read since a read last found it drained; nginx's read->ready). A close with unread bytes makes
    /// the kernel send a reset, which can destroy what was sent before it reaches the peer's reader.
    /// </summary>
    public bool MayHaveUnreadInput => _readable || !Input.IsEmpty || _tls is { HasBufferedInput: true };

    /// <summary>
    /// Pauses (true) or resumes (false) reading; calls nest, like Envoy's readDisable. On resume a
    /// socket that still has bytes is read on the next turn, since no new edge will announce them.
    /// </summary>
    public void ReadDisable(bool disable)
    {
        if (disable)
        {
            _readDisableCount++;
            return;
        }

        if (_readDisableCount > 0 && --_readDisableCount == 0 && (_readable || _tls is { HasBufferedInput: true }) && State == ConnectionState.Open)
        {
            Worker.ScheduleRead(this);
        }
    }

    internal void OnScheduledRead()
    {
        if (State == ConnectionState.Open)
        {
            Read();
        }
    }

    private void Read()
    {
        if (_tls is not null)
        {
            ReadTls();
            return;
        }

        if (_readDisableCount > 0 || State != ConnectionState.Open || _readEof)
        {
            return;
        }

        var budget = ReadBudgetBytes;
        while (_readable)
        {
            var block = Input.GetWritableTail(Worker.Pool);
            var want = block.Free;
            var n = SocketIo.Receive(Fd, block.WritePointer, want);
            if (n > 0)
            {
                Input.Commit((int)n);
                BytesRead += n;
                LastActivityMs = Worker.NowMs;
                CountReceived(n);
                // nginx's trick: a short read means the socket is drained; skip the read that
                // would only say EAGAIN, unless the peer has closed and a 0 is still to come.
                if (n < want && !_peerClosedWrite)
                {
                    _readable = false;
                }

                Handler.OnData(this);
                if (State != ConnectionState.Open || _readDisableCount > 0)
                {
                    return;
                }

                budget -= (int)n;
                if (budget <= 0 && _readable)
                {
                    Worker.ScheduleRead(this);
                    return;
                }

                continue;
            }

            Input.TrimEmptyTail(Worker.Pool);
            if (n == 0)
            {
                _readable = false;
                _readEof = true;
                Handler.OnReadEof(this);
                return;
            }

            var errno = (int)-n;
            if (errno == EAGAIN)
            {
                _readable = false;
                return;
            }

            if (errno != EINTR)
            {
                CloseNow(CloseReason.RemoteError);
                return;
            }
        }
    }
}
