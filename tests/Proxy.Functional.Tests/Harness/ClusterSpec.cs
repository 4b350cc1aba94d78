namespace MeshEdge.Functional.Tests.Harness;

/// <summary>One <c>[[clusters]]</c> entry; a null connect timeout is left to meshedge's default.</summary>
internal sealed class ClusterSpec
{
    public required string Name { get; init; }

    public string? ConnectTimeout { get; set; }

    /// <summary>lb_policy; null leaves meshedge's default (round_robin).</summary>
    public string? LbPolicy { get; set; }

    public List<string> Hosts { get; } = [];

    /// <summary>circuit_breakers.max_connections; null leaves meshedge's default.</summary>
    public int? MaxConnections { get; set; }

    /// <summary>More <c>circuit_breakers</c> entries as TOML (e.g. <c>max_requests = 2</c>); null adds none.</summary>
    public string? CircuitBreakers { get; set; }

    /// <summary>health_check.interval; null means no active health checking.</summary>
    public string? HealthCheckInterval { get; set; }
}
