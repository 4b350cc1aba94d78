using System.Net;

namespace MeshEdge.Config.Model;

/// <summary>
/// One upstream host: its address, its share of the traffic relative to the others, and its
/// priority level (0 is used first; higher levels take traffic as lower ones lose healthy hosts).
/// For a strict_dns cluster <see cref="Hostname"/> is the name to resolve and
/// <see cref="Address"/> carries only the port.
/// </summary>
public sealed record HostConfig(IPEndPoint Address, int Weight)
{
    /// <summary>The DNS name of a strict_dns host; null for an IP address.</summary>
    public string? Hostname { get; init; }

    public int Priority { get; init; }

    public override string ToString()
    {
        var address = Hostname is null ? Address.ToString() : $"{Hostname}:{Address.Port}";
        var extras = (Weight == 1 ? "" : $" weight {Weight}") + (Priority == 0 ? "" : $" priority {Priority}");
        return extras.Length == 0 ? address : $"{address} ({extras.TrimStart()})";
    }
}
