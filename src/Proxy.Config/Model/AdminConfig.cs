using System.Net;

namespace MeshEdge.Config.Model;

/// <summary>The admin listener (/ready, /metrics, /stats...); present only when the config has an <c>[admin]</c> table.</summary>
public sealed record AdminConfig(IPEndPoint Address)
{
    public static readonly IPEndPoint DefaultAddress = new(IPAddress.Loopback, 9901);
}
