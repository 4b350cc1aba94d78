using System.Text.Json.Serialization;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>One call's outcome as the Node client saw it. <see cref="Status"/> is the Bolt response status.</summary>
internal sealed record BoltCallResult
{
    [JsonPropertyName("service")]
    public string Service { get; init; } = "";

    [JsonPropertyName("method")]
    public string Method { get; init; } = "";

    [JsonPropertyName("index")]
    public int Index { get; init; }

    [JsonPropertyName("status")]
    public int? Status { get; init; }

    [JsonPropertyName("value")]
    public string? Value { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    /// <summary>The response's position (1, 2, ...) among all responses read from the connection; null if none came.</summary>
    [JsonPropertyName("arrival")]
    public int? Arrival { get; init; }

    [JsonPropertyName("elapsedMs")]
    public long ElapsedMs { get; init; }

    [JsonPropertyName("oneway")]
    public bool Oneway { get; init; }

    [JsonPropertyName("heartbeat")]
    public bool Heartbeat { get; init; }

    [JsonPropertyName("valueLength")]
    public int? ValueLength { get; init; }

    [JsonPropertyName("valueMatchesPayload")]
    public bool? ValueMatchesPayload { get; init; }
}
