namespace MeshEdge.Native.Stats;

/// <summary>One worker's counters for one cluster: plain fields, merged only when read.</summary>
internal sealed class ClusterStats
{
    public long ConnectionsTotal;
    public long ConnectionsActive;
    public long ConnectFailures;
    public long ConnectTimeouts;
    public long BytesSent;
    public long BytesReceived;

    public void Add(ClusterStats other)
    {
        ConnectionsTotal += other.ConnectionsTotal;
        ConnectionsActive += other.ConnectionsActive;
        ConnectFailures += other.ConnectFailures;
        ConnectTimeouts += other.ConnectTimeouts;
        BytesSent += other.BytesSent;
        BytesReceived += other.BytesReceived;
    }
}
