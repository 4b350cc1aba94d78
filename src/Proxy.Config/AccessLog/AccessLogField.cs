namespace MeshEdge.Config.AccessLog;

/// <summary>What one <c>%OPERATOR%</c> of an access-log format stands for (Envoy's names).</summary>
internal enum AccessLogField : byte
{
    Literal,
    StartTime,
    Method,
    Path,
    Authority,
    RequestHeader,
    Protocol,
    ResponseCode,
    ResponseFlags,
    BytesReceived,
    BytesSent,
    Duration,
    UpstreamHost,
    DownstreamRemoteAddress,

    /// <summary>RPC: the service the request names (Bolt: the <c>service</c> header).</summary>
    RpcService,

    /// <summary>RPC: the method, when the protocol carries it outside the payload.</summary>
    RpcMethod,

    /// <summary>RPC: the response status the client got, in the protocol's numbering ("-" for none).</summary>
    RpcStatus,

    /// <summary>The downstream TLS peer's URI SANs, comma-separated (%DOWNSTREAM_PEER_URI_SAN%).</summary>
    DownstreamPeerUriSan,

    /// <summary>The downstream TLS peer's DNS SANs, comma-separated (%DOWNSTREAM_PEER_DNS_SAN%).</summary>
    DownstreamPeerDnsSan,

    /// <summary>The downstream TLS peer's subject, RFC 2253 (%DOWNSTREAM_PEER_SUBJECT%).</summary>
    DownstreamPeerSubject,

    /// <summary>SHA-256 of the downstream peer's certificate, hex (%DOWNSTREAM_PEER_FINGERPRINT_256%).</summary>
    DownstreamPeerFingerprint256,

    /// <summary>"TLSv1.2" or "TLSv1.3" (%DOWNSTREAM_TLS_VERSION%).</summary>
    DownstreamTlsVersion,

    /// <summary>The downstream connection's cipher suite (%DOWNSTREAM_TLS_CIPHER%).</summary>
    DownstreamTlsCipher,
}
