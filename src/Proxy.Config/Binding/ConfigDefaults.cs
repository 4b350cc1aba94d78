namespace MeshEdge.Config.Binding;

/// <summary>Defaults and limits of the schema, in one place so the binder, the examples and the tests agree.</summary>
internal static class ConfigDefaults
{
    public const int MaxWorkers = 1024;

    public const int ListenerMaxConnections = 10_000;

    public const int BufferLimitBytes = 1024 * 1024;

    // Below 16 KiB a connection would pause its peer after a single socket read; above 1 GiB one
    // connection could hold the whole heap.
    public const int MinBufferLimitBytes = 16 * 1024;

    public const int MaxBufferLimitBytes = 1024 * 1024 * 1024;

    public const int MaxConnectAttempts = 3;

    public const int MaxConnectAttemptsLimit = 100;

    public static readonly TimeSpan TcpIdleTimeout = TimeSpan.FromHours(1);

    public static readonly TimeSpan ClusterConnectTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan HttpIdleTimeout = TimeSpan.FromMinutes(5);

    /// <summary>How long an HTTP/2 peer, client or server, has to acknowledge our SETTINGS: nghttpx's 10 s.</summary>
    public static readonly TimeSpan Http2SettingsTimeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan HttpRequestHeadersTimeout = TimeSpan.FromSeconds(10);

    public const int HttpMaxRequestHeadersBytes = 32 * 1024;

    /// <summary>How long an "auto" listener waits for enough bytes to tell the protocol.</summary>
    public static readonly TimeSpan DetectionTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long a TLS handshake may take before the connection is closed (nginx's client_header_timeout plays this part there).</summary>
    public static readonly TimeSpan TlsHandshakeTimeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan RouteTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Envoy-like fields; see docs for the operators.</summary>
    public const string AccessLogFormat =
        "%START_TIME% \"%REQ(:METHOD)% %REQ(:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\"";

    /// <summary>The RPC access log's default line: when, what was called, how it ended, how long it took, who and where.</summary>
    public const string RpcAccessLogFormat =
        "%START_TIME% %PROTOCOL% %RPC_SERVICE% %RPC_METHOD% %RPC_STATUS% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% \"%DOWNSTREAM_REMOTE_ADDRESS%\" \"%UPSTREAM_HOST%\"";
}
