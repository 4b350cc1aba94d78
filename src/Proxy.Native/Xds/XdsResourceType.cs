namespace MeshEdge.Native.Xds;

/// <summary>
/// One of the resource types the client subscribes to over ADS: its type URL, its short name in
/// logs and metrics (CDS, EDS, LDS, RDS, SDS), its message type in the schema and the field that names a
/// resource. <see cref="All"/> is in make-before-break order: clusters, their endpoints, listeners,
/// their routes, then the secrets (certificates, trusted CAs) that clusters and listeners name.
/// </summary>
internal sealed class XdsResourceType
{
    public const string Prefix = "type.googleapis.com/";

    public static readonly XdsResourceType Clusters = new("CDS", "envoy.config.cluster.v3.Cluster", "name", wildcard: true);
    public static readonly XdsResourceType Endpoints = new("EDS", "envoy.config.endpoint.v3.ClusterLoadAssignment", "cluster_name", wildcard: false);
    public static readonly XdsResourceType Listeners = new("LDS", "envoy.config.listener.v3.Listener", "name", wildcard: true);
    public static readonly XdsResourceType Routes = new("RDS", "envoy.config.route.v3.RouteConfiguration", "name", wildcard: false);

    public static readonly XdsResourceType Secrets = new("SDS", "envoy.extensions.transport_sockets.tls.v3.Secret", "name", wildcard: false);

    public static readonly IReadOnlyList<XdsResourceType> All = [Clusters, Endpoints, Listeners, Routes, Secrets];

    private XdsResourceType(string shortName, string messageName, string nameField, bool wildcard)
    {
        ShortName = shortName;
        MessageName = messageName;
        TypeUrl = Prefix + messageName;
        NameField = nameField;
        Wildcard = wildcard;
    }

    public string ShortName { get; }

    public string MessageName { get; }

    public string TypeUrl { get; }

    /// <summary>The field that names a resource of this type (a ClusterLoadAssignment's is cluster_name).</summary>
    public string NameField { get; }

    /// <summary>Listeners and clusters are asked for all at once; endpoints and routes by the names that refer to them.</summary>
    public bool Wildcard { get; }

    public static XdsResourceType? Find(string typeUrl)
    {
        foreach (var type in All)
        {
            if (type.TypeUrl == typeUrl)
            {
                return type;
            }
        }

        return null;
    }
}
