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

    /// <summary>Connections on an "auto" listener closed because no configured session matched their first bytes.</summary>
    public long DetectionFailures;

    /// <summary>Handshakes done and failed by reason, on a listener that terminates TLS.</summary>
    public readonly Tls.TlsStats Tls = new();

    /// <summary>HTTP requests whose head was read.</summary>
    public long RequestsTotal;

    public long RequestsActive;

    /// <summary>Responses sent downstream by status class: index 1 for 1xx ... 5 for 5xx.</summary>
    public readonly long[] ResponsesByClass = new long[6];

    /// <summary>Requests by the version the client spoke (Envoy's downstream_rq_http1_total and _http2_total).</summary>
    public long Http1Requests;
    public long Http2Requests;

    /// <summary>HTTP/2 connections (h2c prior knowledge or ALPN h2), and what their frame layers saw, summed.</summary>
    public long Http2ConnectionsTotal;
    public long Http2ConnectionsActive;

    /// <summary>HTTP/2 streams refused with REFUSED_STREAM by the overload reject stage.</summary>
    public long Http2StreamsRefused;
    public Codecs.Http2.Connection.Http2ConnectionCounters Http2;

    /// <summary>Replies the proxy made itself (no route, upstream failure, bad request, timeout).</summary>
    public long LocalReplies;

    /// <summary>Requests rejected by the parser (400, 413, 414, 431, 501, 505).</summary>
    public long BadRequests;

    /// <summary>Sum of request durations in microseconds and a histogram over fixed bounds (see <see cref="DurationBucketsMs"/>).</summary>
    public long DurationMicrosSum;

    public readonly long[] DurationBuckets = new long[DurationBucketsMs.Length + 1];

    public static readonly double[] DurationBucketsMs = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    public void RecordDuration(long micros)
    {
        DurationMicrosSum += micros;
        var bucket = 0;
        while (bucket < DurationBucketsMs.Length && micros > DurationBucketsMs[bucket] * 1000)
        {
            bucket++;
        }

        DurationBuckets[bucket]++;
    }

    public void Add(ListenerStats other)
    {
        ConnectionsTotal += other.ConnectionsTotal;
        ConnectionsActive += other.ConnectionsActive;
        ConnectionsOverflow += other.ConnectionsOverflow;
        BytesReceived += other.BytesReceived;
        BytesSent += other.BytesSent;
        DetectionFailures += other.DetectionFailures;
        Tls.Add(other.Tls);
        RequestsTotal += other.RequestsTotal;
        RequestsActive += other.RequestsActive;
        Http1Requests += other.Http1Requests;
        Http2Requests += other.Http2Requests;
        Http2ConnectionsTotal += other.Http2ConnectionsTotal;
        Http2ConnectionsActive += other.Http2ConnectionsActive;
        Http2StreamsRefused += other.Http2StreamsRefused;
        Http.Http2.Http2CounterSums.Add(ref Http2, other.Http2);
        LocalReplies += other.LocalReplies;
        BadRequests += other.BadRequests;
        DurationMicrosSum += other.DurationMicrosSum;
        for (var i = 0; i < ResponsesByClass.Length; i++)
        {
            ResponsesByClass[i] += other.ResponsesByClass[i];
        }

        for (var i = 0; i < DurationBuckets.Length; i++)
        {
            DurationBuckets[i] += other.DurationBuckets[i];
        }
    }
}
