namespace MeshEdge.Config.Model;

public enum HealthCheckType
{
    /// <summary>The host accepts a TCP connection.</summary>
    Tcp,

    /// <summary>The host answers an HTTP/1.1 GET with an expected status.</summary>
    Http,

    /// <summary>The host answers a SOFARPC Bolt heartbeat with a successful heartbeat response.</summary>
    Bolt,
}
