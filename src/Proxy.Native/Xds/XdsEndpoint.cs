namespace MeshEdge.Native.Xds;

/// <summary>Where the control plane listens: a host and port (h2c), or a Unix socket path.</summary>
internal sealed record XdsEndpoint(string? Host, int Port, string? UnixSocket)
{
    public override string ToString() => UnixSocket is not null ? "unix:" + UnixSocket : $"{Host}:{Port}";
}
