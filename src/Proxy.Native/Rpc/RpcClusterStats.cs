namespace MeshEdge.Native.Rpc;

/// <summary>One worker's RPC request counters for one cluster (as used by one listener); connection counters stay in ClusterStats.</summary>
internal sealed class RpcClusterStats
{
    /// <summary>Requests and oneway calls written to an upstream connection.</summary>
    public long Requests;
    public long ResponsesSuccess;
    public long ResponsesError;
    public long Timeouts;

    /// <summary>In-flight requests lost with their upstream connection.</summary>
    public long RequestsLost;

    /// <summary>Requests moved to another host after a connect failure.</summary>
    public long Retries;

    /// <summary>Upstream connections closed while requests were in flight on them.</summary>
    public long ConnectionsDestroyedWithActive;

    /// <summary>Responses whose id matches nothing in flight (timed out already, or a oneway answered anyway).</summary>
    public long UnknownResponses;
    public long MalformedFrames;

    /// <summary>Heartbeat probes the pool sent on idle connections, and the acks that came back.</summary>
    public long HeartbeatsSent;
    public long HeartbeatAcks;

    /// <summary>Connections closed because no live client connection's calls took them any more (their clients left).</summary>
    public long UnpairedClosed;

    public void Add(RpcClusterStats other)
    {
        Requests += other.Requests;
        ResponsesSuccess += other.ResponsesSuccess;
        ResponsesError += other.ResponsesError;
        Timeouts += other.Timeouts;
        RequestsLost += other.RequestsLost;
        Retries += other.Retries;
        ConnectionsDestroyedWithActive += other.ConnectionsDestroyedWithActive;
        UnknownResponses += other.UnknownResponses;
        MalformedFrames += other.MalformedFrames;
        HeartbeatsSent += other.HeartbeatsSent;
        HeartbeatAcks += other.HeartbeatAcks;
        UnpairedClosed += other.UnpairedClosed;
    }
}
