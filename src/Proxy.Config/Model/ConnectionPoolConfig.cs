namespace MeshEdge.Config.Model;

/// <summary>
/// A cluster's upstream connection reuse, per worker and host: idle keep-alive connections kept at
/// most <paramref name="MaxIdlePerHost"/>, closed after <paramref name="IdleTimeout"/>, and retired
/// after <paramref name="MaxRequestsPerConnection"/> requests (0: no limit).
/// </summary>
public sealed record ConnectionPoolConfig(TimeSpan IdleTimeout, int MaxIdlePerHost, int MaxRequestsPerConnection)
{
    public static readonly ConnectionPoolConfig Default = new(TimeSpan.FromSeconds(60), 64, 0);
}
