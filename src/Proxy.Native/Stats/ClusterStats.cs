namespace MeshEdge.Native.Stats;

/// <summary>One worker's counters for one cluster: plain fields, merged only when read.</summary>
internal sealed class ClusterStats
{
    public long ConnectionsTotal;

    /// <summary>
    /// HTTP requests of this worker holding the cluster's max_requests slot now: a gauge the worker
    /// reads, not a counter that is merged or shown. While above 0 the worker keeps a retired cluster
    /// (a request between attempts may hold no connection). RPC calls are found by the RPC pools
    /// (<see cref="Upstream.IUpstreamConnectionPool.InUse"/>).
    /// </summary>
    public int RequestsInFlight;
    public long ConnectionsActive;
    public long ConnectFailures;
    public long ConnectTimeouts;

    /// <summary>Connections refused by the cluster's circuit breaker (max_connections).</summary>
    public long ConnectionsOverflow;

    /// <summary>Requests refused by max_pending_requests (TCP: connections closed).</summary>
    public long PendingOverflow;

    /// <summary>Requests refused by max_requests.</summary>
    public long RequestsOverflow;

    /// <summary>Retries not made because of max_retries.</summary>
    public long RetriesOverflow;
    public long BytesSent;
    public long BytesReceived;

    /// <summary>HTTP requests sent upstream, retries included.</summary>
    public long RequestsTotal;

    /// <summary>Requests tried again on another connection or host.</summary>
    public long RequestRetries;

    /// <summary>Of those, idempotent requests retried by default after a reused connection was lost before the response.</summary>
    public long RetriesReusedConnectionLost;

    /// <summary>Requests served on a kept-alive connection from the pool.</summary>
    public long PoolReused;

    /// <summary>Upstream responses by status class: index 1 for 1xx ... 5 for 5xx.</summary>
    public readonly long[] ResponsesByClass = new long[6];

    /// <summary>TLS origination: handshakes done, resumed and failed by reason (a cluster with a tls table).</summary>
    public readonly Tls.TlsClientStats Tls = new();

    /// <summary>HTTP/2 upstream connections, streams, resets and GOAWAYs (a cluster with protocol = "h2").</summary>
    public readonly Http.Upstream2.Http2UpstreamStats Http2 = new();

    public void Add(ClusterStats other)
    {
        ConnectionsTotal += other.ConnectionsTotal;
        ConnectionsActive += other.ConnectionsActive;
        ConnectFailures += other.ConnectFailures;
        ConnectTimeouts += other.ConnectTimeouts;
        ConnectionsOverflow += other.ConnectionsOverflow;
        PendingOverflow += other.PendingOverflow;
        RequestsOverflow += other.RequestsOverflow;
        RetriesOverflow += other.RetriesOverflow;
        BytesSent += other.BytesSent;
        BytesReceived += other.BytesReceived;
        RequestsTotal += other.RequestsTotal;
        RequestRetries += other.RequestRetries;
        RetriesReusedConnectionLost += other.RetriesReusedConnectionLost;
        PoolReused += other.PoolReused;
        Tls.Add(other.Tls);
        Http2.Add(other.Http2);
        for (var i = 0; i < ResponsesByClass.Length; i++)
        {
            ResponsesByClass[i] += other.ResponsesByClass[i];
        }
    }
}
