namespace MeshEdge.Native.Xds;

/// <summary>
/// The names asked for per type on the current stream: listeners and clusters all at once (wildcard),
/// endpoints by the EDS clusters that wait for them, routes by the HTTP connection managers that
/// name them. Recomputed after each CDS or LDS update, so EDS follows CDS and RDS follows LDS.
/// </summary>
internal sealed class XdsSubscriptions
{
    private readonly Dictionary<XdsResourceType, SortedSet<string>> _names =
        XdsResourceType.All.ToDictionary(t => t, _ => new SortedSet<string>(StringComparer.Ordinal));

    public IReadOnlyCollection<string> Of(XdsResourceType type) => _names[type];

    /// <summary>The dependent type (EDS after CDS, RDS after LDS) and its wanted names; null when <paramref name="type"/> has none.</summary>
    public static (XdsResourceType Type, SortedSet<string> Names)? Dependents(XdsResourceType type, XdsCache cache)
    {
        if (type == XdsResourceType.Clusters)
        {
            return (XdsResourceType.Endpoints, new SortedSet<string>(XdsConfigAssembler.EndpointNames(cache.Of(type).Values), StringComparer.Ordinal));
        }

        if (type == XdsResourceType.Listeners)
        {
            return (XdsResourceType.Routes, new SortedSet<string>(XdsConfigAssembler.RouteNames(cache.Of(type).Values), StringComparer.Ordinal));
        }

        return null;
    }

    /// <summary>Replaces a type's names; the ones added and removed (empty both when unchanged).</summary>
    public (List<string> Added, List<string> Removed) Set(XdsResourceType type, SortedSet<string> names)
    {
        var current = _names[type];
        var added = names.Where(n => !current.Contains(n)).ToList();
        var removed = current.Where(n => !names.Contains(n)).ToList();
        _names[type] = names;
        return (added, removed);
    }
}
