namespace MeshEdge.Native.Xds;

/// <summary>
/// The names asked for per type on the current stream: listeners and clusters all at once (wildcard),
/// endpoints by the EDS clusters that wait for them, routes by the HTTP connection managers that
/// name them, secrets by the TLS contexts of both. Recomputed after each CDS or LDS update, so EDS
/// follows CDS, RDS follows LDS and SDS follows either.
/// </summary>
internal sealed class XdsSubscriptions
{
    private readonly Dictionary<XdsResourceType, SortedSet<string>> _names =
        XdsResourceType.All.ToDictionary(t => t, _ => new SortedSet<string>(StringComparer.Ordinal));

    public IReadOnlyCollection<string> Of(XdsResourceType type) => _names[type];

    /// <summary>The dependent types (EDS and SDS after CDS, RDS and SDS after LDS) and their wanted names; none when <paramref name="type"/> has none.</summary>
    public static IEnumerable<(XdsResourceType Type, SortedSet<string> Names)> Dependents(XdsResourceType type, XdsCache cache)
    {
        if (type == XdsResourceType.Clusters)
        {
            yield return (XdsResourceType.Endpoints, Wanted(XdsResourceType.Endpoints, cache));
        }

        if (type == XdsResourceType.Listeners)
        {
            yield return (XdsResourceType.Routes, Wanted(XdsResourceType.Routes, cache));
        }

        if (type == XdsResourceType.Clusters || type == XdsResourceType.Listeners)
        {
            yield return (XdsResourceType.Secrets, Wanted(XdsResourceType.Secrets, cache));
        }
    }

    /// <summary>The names a non-wildcard type is asked for, from what the cache holds.</summary>
    public static SortedSet<string> Wanted(XdsResourceType type, XdsCache cache) => new(
        type == XdsResourceType.Endpoints ? XdsConfigAssembler.EndpointNames(cache.Of(XdsResourceType.Clusters).Values)
        : type == XdsResourceType.Routes ? XdsConfigAssembler.RouteNames(cache.Of(XdsResourceType.Listeners).Values)
        : XdsSecretNames.Wanted(cache),
        StringComparer.Ordinal);

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
