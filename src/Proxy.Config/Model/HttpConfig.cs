using System.Collections.Immutable;
using MeshEdge.Config.Binding;

namespace MeshEdge.Config.Model;

/// <summary>
/// The <c>[listeners.http]</c> table: how an HTTP/1.1 listener parses requests and where its
/// virtual hosts send them (Envoy's HTTP connection manager plus its route configuration).
/// </summary>
/// <param name="IdleTimeout">A keep-alive connection with no request in progress is closed after this.</param>
/// <param name="RequestHeadersTimeout">A request head not complete within this gets 408 and a close.</param>
/// <param name="MaxRequestHeadersBytes">Beyond this the request gets 431.</param>
/// <param name="MaxRequestBodyBytes">A declared body larger than this gets 413; 0 means no limit.</param>
public sealed record HttpConfig(
    ImmutableArray<VirtualHostConfig> VirtualHosts,
    TimeSpan IdleTimeout,
    TimeSpan RequestHeadersTimeout,
    int MaxRequestHeadersBytes,
    long MaxRequestBodyBytes)
{
    /// <summary>Append the client's address to x-forwarded-for and set x-forwarded-proto.</summary>
    public bool AddForwardedHeaders { get; init; } = true;

    /// <summary>Give a request without x-request-id a fresh one (kept when the client sent it).</summary>
    public bool GenerateRequestId { get; init; } = true;

    /// <summary>
    /// How long an HTTP/2 client has to acknowledge our SETTINGS before GOAWAY SETTINGS_TIMEOUT
    /// (RFC 9113 §6.5.3); zero: no limit.
    /// </summary>
    public TimeSpan Http2SettingsTimeout { get; init; } = ConfigDefaults.Http2SettingsTimeout;

    /// <summary>Null when the listener writes no access log.</summary>
    public AccessLogConfig? AccessLog { get; init; }

    /// <summary>What happens to x-forwarded-client-cert on its way upstream.</summary>
    public ForwardClientCertDetails ForwardClientCertDetails { get; init; }

    /// <summary>What this hop's x-forwarded-client-cert element says of the client's certificate (append_forward, sanitize_set).</summary>
    public ClientCertDetails SetCurrentClientCertDetails { get; init; }
}
