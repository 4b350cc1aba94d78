using MeshEdge.Interop;
using MeshEdge.Native.Network.Interop;
using MeshEdge.Native.Runtime;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Network;

/// <summary>
/// The write side: output is a chain of blocks, sent at the end of the turn with one send (one block)
/// or sendmsg (up to 64 blocks a call) while the socket takes it all; high and low
/// watermarks tell the session when to stop and restart feeding it, and a requested half-close
/// goes out once the queue is empty.
/// </summary>
internal sealed unsafe partial class Connection
{
    private const int MaxIovecs = 64;

    private bool _writable;
    private bool _aboveHighWatermark;
    private bool _shutdownWriteRequested;
    private bool _writeShutDown;

    public bool IsAboveHighWatermark => _aboveHighWatermark;

    /// <summary>Takes every block of <paramref name="data"/> into the output queue.</summary>
    public void Write(BlockChain data)
    {
        if (State is ConnectionState.Closed or ConnectionState.Closing)
        {
            data.Clear(Worker.Pool);
            return;
        }

        Output.MoveFrom(data, Worker.Pool);
        AfterQueued();
    }

    /// <summary>
    /// Takes the first <paramref name="count"/> bytes of <paramref name="data"/> (one frame of a stream
    /// of frames) into the output queue; the rest stays in <paramref name="data"/>.
    /// </summary>
    public void Write(BlockChain data, long count)
    {
        if (State is ConnectionState.Closed or ConnectionState.Closing)
        {
            data.Consume(count, Worker.Pool);
            return;
        }

        data.MovePrefixTo(Output, count, Worker.Pool);
        AfterQueued();
    }

    private void AfterQueued()
    {
        if (!_aboveHighWatermark && (Output.Length > _highWatermark || OverFairShare))
        {
            _aboveHighWatermark = true;
            Handler.OnAboveHighWatermark(this);
        }

        if (State == ConnectionState.Open)
        {
            Worker.ScheduleFlush(this);
        }
    }

    /// <summary>Sends FIN once everything queued is written (forwarding a half-close).</summary>
    public void ShutdownWrite()
    {
        _shutdownWriteRequested = true;
        if (State == ConnectionState.Open)
        {
            Worker.ScheduleFlush(this);
        }
    }

    internal void Flush()
    {
        if (State is not (ConnectionState.Open or ConnectionState.Closing))
        {
            return;
        }

        if (_tls is null ? !Send(Output, plaintext: true) : !FlushTls())
        {
            return;
        }

        if (_aboveHighWatermark && Output.Length <= LowWatermarkNow)
        {
            _aboveHighWatermark = false;
            _watermarkForced = false;
            Handler.OnBelowLowWatermark(this);
            if (State == ConnectionState.Closed)
            {
                return;
            }
        }

        if (!Output.IsEmpty || (_tls is not null && !FinishTlsOutput()))
        {
            return;
        }

        if (State == ConnectionState.Closing)
        {
            CloseNow(CloseReason.Local);
        }
        else if (_shutdownWriteRequested && !_writeShutDown)
        {
            _writeShutDown = true;
            SocketIo.ShutdownWrite(Fd);
        }
        else if (_notifyWhenOutputEmpty && Handler is IOutputEmptyObserver observer)
        {
            _notifyWhenOutputEmpty = false;
            observer.OnOutputEmpty(this);
        }
    }

    /// <summary>
    /// Sends <paramref name="chain"/> (the plaintext output, or a TLS connection's ciphertext) while
    /// the socket takes it: one send or sendmsg of up to 64 blocks a call. False when the connection
    /// closed on an error.
    /// </summary>
    private bool Send(BlockChain chain, bool plaintext)
    {
        var vectors = stackalloc Iovec[MaxIovecs];
        while (_writable && !chain.IsEmpty)
        {
            var count = 0;
            long total = 0;
            for (var block = chain.Head; block is not null && count < MaxIovecs; block = block.Next)
            {
                vectors[count].Base = block.ReadPointer;
                vectors[count].Length = (nuint)block.Length;
                total += block.Length;
                count++;
            }

            var n = SocketIo.Send(Fd, vectors, count);
            if (n >= 0)
            {
                chain.Consume(n, Worker.Pool);
                if (plaintext)
                {
                    BytesWritten += n;
                    CountSent(n);
                }

                LastActivityMs = Worker.NowMs;
                if (n < total)
                {
                    // The socket buffer is full; the EPOLLOUT edge says when to go on.
                    _writable = false;
                    WatchWritable();
                }

                continue;
            }

            var errno = (int)-n;
            if (errno == EAGAIN)
            {
                _writable = false;
                WatchWritable();
            }
            else if (errno != EINTR)
            {
                CloseNow(CloseReason.RemoteError);
                return false;
            }
        }

        return true;
    }
}
