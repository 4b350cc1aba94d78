using System.Net;

namespace MeshEdge.Config.Model;

/// <summary>One upstream host: its address and its share of the traffic relative to the others.</summary>
public sealed record HostConfig(IPEndPoint Address, int Weight)
{
    public override string ToString() => Weight == 1 ? Address.ToString() : $"{Address} (weight {Weight})";
}
