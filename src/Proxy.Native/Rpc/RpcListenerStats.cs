namespace MeshEdge.Native.Rpc;

/// <summary>One worker's RPC counters for one listener: plain fields, merged only when read.</summary>
internal sealed class RpcListenerStats
{
    /// <summary>Requests that expect a response.</summary>
    public long Requests;
    public long Oneway;
    public long ResponsesSuccess;

    /// <summary>Responses from upstream with a status other than success (the server's own errors).</summary>
    public long ResponsesError;
    public long Timeouts;
    public long NoRoute;

    /// <summary>Requests answered with a connection-closed error because their upstream connection went away.</summary>
    public long UpstreamLost;

    /// <summary>Requests answered with an error because no host could be connected to.</summary>
    public long ConnectFailed;

    /// <summary>Requests refused because the cluster's circuit breaker was open.</summary>
    public long Overflow;
    public long MalformedFrames;
    public long HeartbeatsAnswered;

    /// <summary>Requests waiting for an upstream or a response right now (a gauge).</summary>
    public long Active;

    /// <summary>Hot upgrade: connections detached and handed to the successor's outbox.</summary>
    public long ConnectionsMigratedOut;

    /// <summary>Hot upgrade: connections adopted from the previous process.</summary>
    public long ConnectionsAdopted;

    /// <summary>Hot upgrade: connections that could not move and drained here instead.</summary>
    public long MigrationFallbacks;

    public void Add(RpcListenerStats other)
    {
        Requests += other.Requests;
        Oneway += other.Oneway;
        ResponsesSuccess += other.ResponsesSuccess;
        ResponsesError += other.ResponsesError;
        Timeouts += other.Timeouts;
        NoRoute += other.NoRoute;
        UpstreamLost += other.UpstreamLost;
        ConnectFailed += other.ConnectFailed;
        Overflow += other.Overflow;
        MalformedFrames += other.MalformedFrames;
        HeartbeatsAnswered += other.HeartbeatsAnswered;
        Active += other.Active;
        ConnectionsMigratedOut += other.ConnectionsMigratedOut;
        ConnectionsAdopted += other.ConnectionsAdopted;
        MigrationFallbacks += other.MigrationFallbacks;
    }
}
