namespace MeshEdge.Native.Stats;

/// <summary>One worker's counters for one cluster: plain fields, merged only when read.</summary>
internal sealed class ClusterStats
{
    public long ConnectionsTotal;
    public long ConnectionsActive;
    public long ConnectFailures;
    public long ConnectTimeouts;

    /// <summary>Connections refused by the cluster's circuit breaker (max_connections).</summary>
    public long ConnectionsOverflow;
    public long BytesSent;
    public long BytesReceived;

    public void Add(ClusterStats other)
    {
        ConnectionsTotal += other.ConnectionsTotal;
        ConnectionsActive += other.ConnectionsActive;
        ConnectFailures += other.ConnectFailures;
        ConnectTimeouts += other.ConnectTimeouts;
        ConnectionsOverflow += other.ConnectionsOverflow;
        BytesSent += other.BytesSent;
        BytesReceived += other.BytesReceived;
    }
}
