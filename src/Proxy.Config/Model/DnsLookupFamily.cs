namespace MeshEdge.Config.Model;

/// <summary>Which addresses of a strict_dns name become hosts.</summary>
public enum DnsLookupFamily
{
    V4Only,
    V6Only,
    All,
}
