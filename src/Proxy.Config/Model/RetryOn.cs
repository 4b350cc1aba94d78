namespace MeshEdge.Config.Model;

/// <summary>The conditions a retry policy reacts to (Envoy's x-envoy-retry-on names).</summary>
[Flags]
public enum RetryOn
{
    None = 0,

    /// <summary>The connection to the host could not be made.</summary>
    ConnectFailure = 1,

    /// <summary>The host closed or reset the connection before a response head.</summary>
    Reset = 2,

    /// <summary>Any 5xx response, and the failures above.</summary>
    ServerError = 4,

    /// <summary>502, 503 or 504.</summary>
    GatewayError = 8,

    /// <summary>The statuses listed in retriable_status_codes.</summary>
    RetriableStatusCodes = 16,

    /// <summary>The per-try timeout passed.</summary>
    PerTryTimeout = 32,
}
