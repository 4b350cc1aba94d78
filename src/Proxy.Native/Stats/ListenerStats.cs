namespace MeshEdge.Native.Stats;

/// <summary>One worker's counters for one listener: plain fields, merged only when read.</summary>
internal sealed class ListenerStats
{
    public long ConnectionsTotal;
    public long ConnectionsActive;
    public long ConnectionsOverflow;

    /// <summary>Bytes received from downstream.</summary>
    public long BytesReceived;

    /// <summary>Bytes sent to downstream.</summary>
    public long BytesSent;

    public void Add(ListenerStats other)
    {
        ConnectionsTotal += other.ConnectionsTotal;
        ConnectionsActive += other.ConnectionsActive;
        ConnectionsOverflow += other.ConnectionsOverflow;
        BytesReceived += other.BytesReceived;
        BytesSent += other.BytesSent;
    }
}
