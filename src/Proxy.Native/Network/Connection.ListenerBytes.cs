using MeshEdge.Native.Stats;

namespace MeshEdge.Native.Network;

/// <summary>
/// A downstream connection's bytes go into its listener's counters as they move, as Envoy's
/// downstream_cx_rx_bytes_total does, not when the connection closes: /stats shows the load on
/// connections kept open, and the idle trim sees it (<see cref="Runtime.IdleTrim"/>). The counters are
/// this worker's own (plain adds on its thread, merged when read); plaintext bytes, as <see cref="BytesRead"/>.
/// </summary>
internal sealed partial class Connection
{
    /// <summary>This worker's counters for the listener that accepted the connection; null for a connection we opened.</summary>
    private ListenerStats? _listenerStats;

    private void CountReceived(long bytes)
    {
        if (_listenerStats is not null)
        {
            _listenerStats.BytesReceived += bytes;
        }
    }

    private void CountSent(long bytes)
    {
        if (_listenerStats is not null)
        {
            _listenerStats.BytesSent += bytes;
        }
    }
}
