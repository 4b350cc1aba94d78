namespace MeshEdge.Native.Tls;

/// <summary>One worker's TLS counters for one listener: plain fields, merged only when read.</summary>
internal sealed class TlsStats
{
    public static readonly string[] ReasonNames = ["not_tls", "version", "no_shared_cipher", "timeout", "peer_closed", "other", "no_client_certificate", "bad_client_certificate", "san_mismatch"];

    /// <summary>Handshakes completed.</summary>
    public long Handshakes;

    /// <summary>Handshakes failed, indexed by <see cref="TlsFailureReason"/>.</summary>
    public readonly long[] Failures = new long[ReasonNames.Length];

    public long FailuresTotal => Failures.Sum();

    public void Add(TlsStats other)
    {
        Handshakes += other.Handshakes;
        for (var i = 0; i < Failures.Length; i++)
        {
            Failures[i] += other.Failures[i];
        }
    }
}
