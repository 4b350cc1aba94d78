using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>The L4 proxy session: bytes both ways between a downstream and one upstream host.</summary>
/// <param name="Cluster">Where connections go; with SNI routes, where those no route takes go (empty: they are closed).</param>
/// <param name="IdleTimeout">Close both sides after this long without bytes either way; zero disables.</param>
/// <param name="MaxConnectAttempts">Hosts tried (round robin) before the downstream is closed.</param>
public sealed record TcpProxyConfig(string Cluster, TimeSpan IdleTimeout, int MaxConnectAttempts)
{
    public static readonly TimeSpan DefaultInspectTimeout = TimeSpan.FromSeconds(5);

    public const int DefaultMaxClientHelloBytes = 16 * 1024;

    /// <summary>Clusters chosen by the ClientHello's server name (TLS passthrough); empty: every connection goes to <see cref="Cluster"/> at once.</summary>
    public ImmutableArray<SniRouteConfig> SniRoutes { get; init; } = [];

    /// <summary>With SNI routes: how long a connection may take to send its whole ClientHello before it is closed.</summary>
    public TimeSpan InspectTimeout { get; init; } = DefaultInspectTimeout;

    /// <summary>With SNI routes: the most bytes a ClientHello (with its record headers) may take before the connection is closed.</summary>
    public int MaxClientHelloBytes { get; init; } = DefaultMaxClientHelloBytes;

    /// <summary>Whether this table sends connections anywhere: a cluster, SNI routes or both.</summary>
    public bool IsConfigured => Cluster.Length > 0 || !SniRoutes.IsEmpty;
}
