using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Http;

/// <summary>
/// The retries made without a retry policy, for a request the upstream provably did not process (or,
/// being idempotent, may safely process twice): one rule for both HTTP versions. HTTP/1.1 reports a
/// failed connect and a reused connection lost before the response; HTTP/2 will report a refused
/// stream and a stream above a GOAWAY's last stream id.
/// </summary>
internal static class SafeRetry
{
    /// <summary>Idempotent methods (RFC 9110 9.2.2): a repeat has the effect of one request.</summary>
    public static bool IsIdempotent(Http1Method method) => method is Http1Method.Get or Http1Method.Head
        or Http1Method.Options or Http1Method.Trace or Http1Method.Put or Http1Method.Delete;

    /// <summary>The cause of an HTTP/1.1 try's loss of its connection before the response head.</summary>
    public static UnprocessedCause OfLostConnection(bool reused, bool responseByteSeen) =>
        reused && !responseByteSeen ? UnprocessedCause.ReusedConnectionLost : UnprocessedCause.None;

    /// <summary>
    /// Whether a try that ended with <paramref name="cause"/> is tried again with no policy. The
    /// request must be replayable (no body byte has left). A failed connect, a refused stream and a
    /// stream past GOAWAY sent nothing the upstream processed, so any method goes; a lost reused
    /// connection may have carried the request to the upstream, so only an idempotent one. Each host
    /// gets one try (<paramref name="attempts"/> made so far, of <paramref name="hostCount"/>); a
    /// cluster of one host still gets a second try, which is what a stale keep-alive connection
    /// needs: a fresh connection to the same host.
    /// </summary>
    public static bool Allows(UnprocessedCause cause, Http1Method method, bool replayable, int attempts, int hostCount) =>
        replayable && cause switch
        {
            UnprocessedCause.ConnectFailure => attempts < hostCount,
            UnprocessedCause.ReusedConnectionLost => IsIdempotent(method) && attempts < Math.Max(hostCount, 2),
            UnprocessedCause.RefusedStream or UnprocessedCause.AboveGoAwayLastStream => attempts < Math.Max(hostCount, 2),
            _ => false,
        };
}
