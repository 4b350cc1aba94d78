namespace MeshEdge.Config.Model;

/// <summary>The L4 proxy session: bytes both ways between a downstream and one upstream host.</summary>
/// <param name="IdleTimeout">Close both sides after this long without bytes either way; zero disables.</param>
/// <param name="MaxConnectAttempts">Hosts tried (round robin) before the downstream is closed.</param>
public sealed record TcpProxyConfig(string Cluster, TimeSpan IdleTimeout, int MaxConnectAttempts);
