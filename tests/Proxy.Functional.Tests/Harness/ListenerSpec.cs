namespace MeshEdge.Functional.Tests.Harness;

/// <summary>One <c>[[listeners]]</c> entry with a tcp_proxy; null settings are left to meshedge's defaults.</summary>
internal sealed class ListenerSpec
{
    public required string Name { get; init; }

    public string Address { get; set; } = "127.0.0.1:0";

    public required string Cluster { get; set; }

    public int? MaxConnections { get; set; }

    public string? BufferLimit { get; set; }

    public string? IdleTimeout { get; set; }

    public int? MaxConnectAttempts { get; set; }

    /// <summary>The body of <c>[listeners.rpc_proxy]</c> (TOML); when set, the listener is <c>protocol = "bolt"</c> instead of tcp.</summary>
    public string? RpcProxy { get; set; }

    /// <summary>The body of <c>[listeners.http]</c> (TOML, virtual hosts included); when set, the listener is <c>protocol = "http"</c>.</summary>
    public string? Http { get; set; }
}
