namespace MeshEdge.Native.Xds;

/// <summary>
/// What the admin side shows for one resource type (/config_dump, /metrics): the version last
/// accepted, when, the last NACK's error, and counters. Written by the xDS client's loop only; read by
/// admin threads as plain fields (at worst a moment old).
/// </summary>
internal sealed class XdsTypeStatus(string typeName, string typeUrl)
{
    /// <summary>CDS, EDS, LDS or RDS.</summary>
    public string TypeName { get; } = typeName;

    public string TypeUrl { get; } = typeUrl;

    public string Version { get; internal set; } = "";

    public DateTimeOffset? LastUpdated { get; internal set; }

    public string? LastNackError { get; internal set; }

    public DateTimeOffset? LastNackTime { get; internal set; }

    /// <summary>Responses ACKed.</summary>
    public long Updates { get; internal set; }

    /// <summary>Responses NACKed (whole or in part).</summary>
    public long Rejections { get; internal set; }

    /// <summary>Resources accepted now.</summary>
    public int Resources { get; internal set; }
}
