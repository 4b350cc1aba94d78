using MeshEdge.Interop;
using MeshEdge.Native.Network;
using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// Hot upgrade: instead of closing, the session moves its client's connection to the successor.
/// It stops reading and processing at a frame boundary (the input keeps at most a partial frame;
/// anything newer waits in the socket, which moves along), lets every request in flight here be
/// answered (or time out) and every answer reach the socket, and only then detaches the socket and
/// its unprocessed bytes. So nothing is lost, and responses to one connection never come from two
/// processes at once: whatever this process wrote is in the kernel before the successor writes.
/// </summary>
internal sealed partial class RpcDownstreamSession<TCodec>
{
    public void OnOutputEmpty(Connection connection)
    {
        if (_migrating)
        {
            TryMigrate();
        }
    }

    /// <summary>
    /// The worker drains towards a successor that adopts connections of this listener and protocol,
    /// and the client has not ended its side (then it only waits for its answers). A TLS connection
    /// never moves: its keys and record sequence numbers live in this process's libssl, and the
    /// successor could not continue the stream, so it drains here (a migration fallback).
    /// </summary>
    private bool CanMigrate() =>
        _context.Worker.Migration is { } outbox
        && _downstream.Tls is null
        && IsOpen
        && !_downstream.ReadEof
        && !_closeWhenIdle
        && outbox.Accepts(_listener.Name, _context.Codec.Name);

    private void BeginMigration()
    {
        _migrating = true;
        TryMigrate();
    }

    /// <summary>Detaches once nothing is in flight and nothing is queued; otherwise waits for that.</summary>
    private void TryMigrate()
    {
        if (_requestCount > 0 || !IsOpen)
        {
            return;
        }

        if (!_downstream.IsOutputEmpty)
        {
            _downstream.NotifyWhenOutputEmpty();
            return;
        }

        var outbox = _context.Worker.Migration!;
        if (_downstream.Input.Length > MigrationPayloads.MaxPendingBytes || !outbox.Accepts(_listener.Name, _context.Codec.Name))
        {
            // Cannot move after all: drain here (nothing is in flight, so that is a close).
            FallBackToDrain();
            return;
        }

        var fd = _downstream.Detach(out var pending);
        _finished = true;
        EndSession();
        if (outbox.TryAdd(new MigratingConnection(_listener.Name, _context.Codec.Name, fd, pending)))
        {
            _context.ListenerStats.ConnectionsMigratedOut++;
            return;
        }

        // The outbox closed between the two calls (this process is stopping): the connection ends here.
        _context.ListenerStats.MigrationFallbacks++;
        Libc.Close(fd);
    }

    private void FallBackToDrain()
    {
        _migrating = false;
        _context.ListenerStats.MigrationFallbacks++;
        _downstream.Close(CloseMode.FlushWrite);
    }
}
