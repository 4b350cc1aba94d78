using MeshEdge.Native.Network;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// The connections a read's frames were queued on, flushed as soon as that read is handled rather
/// than at the end of the worker's turn, so the peer starts on them while the proxy goes on with the
/// turn's other reads. Each connection still gets one write for all the frames of the read.
/// </summary>
internal sealed class RpcEarlyFlush
{
    private readonly List<Connection> _marked = new(8);

    /// <summary>The connection marked last: most frames of a read go where the one before went.</summary>
    private Connection? _last;

    /// <summary>Between <see cref="BeginRead"/> and <see cref="FlushMarked"/>: output queued by a timer or a connect is left to the worker's flush.</summary>
    private bool _reading;

    public RpcEarlyFlush(bool enabled) => Enabled = enabled;

    /// <summary>Off: outputs wait for the worker's end-of-turn flush, as every other protocol's do.</summary>
    public bool Enabled { get; }

    /// <summary>A connection's read is about to be handled: what it queues is marked.</summary>
    public void BeginRead() => _reading = Enabled;

    /// <summary>Notes that <paramref name="connection"/> has output from the read being handled.</summary>
    public void Mark(Connection connection)
    {
        // Frames of one read mostly go to the same connection in runs: comparing with the last one
        // keeps the list short without a flag on the connection; a repeat only flushes an empty output.
        if (connection != _last && _reading)
        {
            _last = connection;
            _marked.Add(connection);
        }
    }

    /// <summary>Writes what the read queued, now. The worker's own flush later finds those outputs empty.</summary>
    public void FlushMarked()
    {
        _reading = false;
        if (_marked.Count == 0)
        {
            return;
        }

        // Flushing can close a connection, and closing can answer requests on other connections:
        // those replies are not marked (the read is over), the worker's flush sends them.
        for (var i = 0; i < _marked.Count; i++)
        {
            var connection = _marked[i];
            if (connection.State == ConnectionState.Open)
            {
                connection.Flush();
            }
        }

        _marked.Clear();
        _last = null;
    }
}
