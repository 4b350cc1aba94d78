namespace MeshEdge.Native.Http;

/// <summary>
/// How a try ended that proves, or makes it safe to assume, that the upstream did not process the
/// request: the causes a request is retried for by default, with no retry policy (see <see cref="SafeRetry"/>).
/// </summary>
internal enum UnprocessedCause : byte
{
    /// <summary>Not such a failure: only the route's retry policy may retry it.</summary>
    None,

    /// <summary>The connect failed: nothing was sent.</summary>
    ConnectFailure,

    /// <summary>
    /// A reused keep-alive connection closed or reset before any response byte: most often the
    /// upstream closed it as idle just as the request left (the stale keep-alive race). The upstream
    /// may have seen the request, so only an idempotent one is retried (nginx's default).
    /// </summary>
    ReusedConnectionLost,

    /// <summary>HTTP/2: the upstream refused the stream (RST_STREAM REFUSED_STREAM; RFC 9113 8.7: not processed).</summary>
    RefusedStream,

    /// <summary>HTTP/2: the stream is above a GOAWAY's last stream id (RFC 9113 6.8: not processed).</summary>
    AboveGoAwayLastStream,
}
