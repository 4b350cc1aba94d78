namespace MeshEdge.Native.Tls;

/// <summary>One worker's TLS origination counters for one cluster: plain fields, merged only when read.</summary>
internal sealed class TlsClientStats
{
    public static readonly string[] ReasonNames = ["verify_failed", "san_mismatch", "not_tls", "version", "no_shared_cipher", "timeout", "peer_closed", "other"];

    /// <summary>Handshakes completed.</summary>
    public long Handshakes;

    /// <summary>Of those, handshakes that resumed a session of an earlier connection to the same host (no full handshake).</summary>
    public long Resumed;

    /// <summary>Handshakes failed, indexed by <see cref="TlsClientFailure"/>.</summary>
    public readonly long[] Failures = new long[ReasonNames.Length];

    public long FailuresTotal => Failures.Sum();

    public void Add(TlsClientStats other)
    {
        Handshakes += other.Handshakes;
        Resumed += other.Resumed;
        for (var i = 0; i < Failures.Length; i++)
        {
            Failures[i] += other.Failures[i];
        }
    }
}
