namespace MeshEdge.Native.Stats;

/// <summary>
/// One worker's counters for one listener's SNI routing (TLS passthrough): connections per route,
/// and what became of the rest. Plain fields, merged only when read.
/// </summary>
internal sealed class SniStats(int routeCount)
{
    /// <summary>Connections whose server name matched each route.</summary>
    public readonly long[] RouteHits = new long[routeCount];

    /// <summary>Connections no route took that went to the default cluster.</summary>
    public long DefaultHits;

    /// <summary>A whole ClientHello without a server name.</summary>
    public long NoServerName;

    /// <summary>A server name no route lists.</summary>
    public long NoMatch;

    /// <summary>First bytes that are not a TLS handshake record.</summary>
    public long NotTls;

    /// <summary>A ClientHello that breaks the wire format: closed.</summary>
    public long Malformed;

    /// <summary>A ClientHello past max_client_hello_size: closed.</summary>
    public long TooLarge;

    /// <summary>No whole ClientHello within inspect_timeout: closed.</summary>
    public long InspectTimeouts;

    /// <summary>The client closed (or the read failed) before its ClientHello was whole.</summary>
    public long ClosedEarly;

    /// <summary>Connections no route took, closed for want of a default cluster.</summary>
    public long NoCluster;

    public void Add(SniStats other)
    {
        for (var i = 0; i < RouteHits.Length; i++)
        {
            RouteHits[i] += other.RouteHits[i];
        }

        DefaultHits += other.DefaultHits;
        NoServerName += other.NoServerName;
        NoMatch += other.NoMatch;
        NotTls += other.NotTls;
        Malformed += other.Malformed;
        TooLarge += other.TooLarge;
        InspectTimeouts += other.InspectTimeouts;
        ClosedEarly += other.ClosedEarly;
        NoCluster += other.NoCluster;
    }

    /// <summary>The counters besides the routes' own, by the names /stats and /metrics give them.</summary>
    public IEnumerable<(string Name, long Value)> Events()
    {
        yield return ("default_cluster", DefaultHits);
        yield return ("no_sni", NoServerName);
        yield return ("no_match", NoMatch);
        yield return ("not_tls", NotTls);
        yield return ("malformed", Malformed);
        yield return ("too_large", TooLarge);
        yield return ("inspect_timeout", InspectTimeouts);
        yield return ("closed_early", ClosedEarly);
        yield return ("no_cluster", NoCluster);
    }
}
