namespace MeshEdge.Native.Xds;

/// <summary>
/// The last good resources per type, as accepted from the control plane (each kept until replaced
/// or removed, whatever happens to the rest of its response), the clusters removed while something
/// still routed to them (kept until nothing does: make before break), and since when each endpoint
/// or route set has been waited for (warming ends when it arrives or the initial fetch timeout passes).
/// </summary>
internal sealed class XdsCache
{
    private readonly Dictionary<XdsResourceType, Dictionary<string, XdsResource>> _byType =
        XdsResourceType.All.ToDictionary(t => t, _ => new Dictionary<string, XdsResource>(StringComparer.Ordinal));

    private readonly Dictionary<(XdsResourceType, string), long> _awaitedSince = [];
    private readonly HashSet<(XdsResourceType, string)> _givenUp = [];

    public Dictionary<string, XdsResource> Retired { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, XdsResource> Of(XdsResourceType type) => _byType[type];

    /// <summary>Notes when a dependency was first asked for; forgets it once it has arrived.</summary>
    public void Await(XdsResourceType type, string name, long now)
    {
        if (Of(type).ContainsKey(name) || _givenUp.Contains((type, name)))
        {
            _awaitedSince.Remove((type, name));
        }
        else
        {
            _awaitedSince.TryAdd((type, name), now);
        }
    }

    /// <summary>Whether a missing dependency has been waited for longer than <paramref name="timeoutMs"/> (then it is served empty).</summary>
    public bool GaveUpOn(XdsResourceType type, string name, long now, long timeoutMs) =>
        _givenUp.Contains((type, name)) || (_awaitedSince.TryGetValue((type, name), out var since) && now - since >= timeoutMs);

    /// <summary>Milliseconds until the next dependency's wait runs out, null when none is awaited.</summary>
    public long? NextGiveUp(long now, long timeoutMs) =>
        _awaitedSince.Count == 0 ? null : Math.Max(0, _awaitedSince.Values.Min() + timeoutMs - now);

    /// <summary>Stops waiting for what has run out of time (it is served empty from now on, until it arrives).</summary>
    public void ForgetGivenUp(long now, long timeoutMs)
    {
        foreach (var key in _awaitedSince.Where(e => now - e.Value >= timeoutMs).Select(e => e.Key).ToList())
        {
            _awaitedSince.Remove(key);
            _givenUp.Add(key);
        }
    }

    /// <summary>
    /// Drops the decoded trees of endpoints and of the clusters that <paramref name="translated"/> says
    /// the assembler keeps a translation of (a tree is decoded again if needed). A cluster still warming
    /// keeps its tree: its translation comes with its endpoints, usually in the very next response, and
    /// decoding 10,000 clusters again for it was a tenth of a bulk push.
    /// </summary>
    public void Compact(Func<XdsResource, bool> translated)
    {
        foreach (var resource in _byType[XdsResourceType.Clusters].Values.Concat(Retired.Values))
        {
            if (translated(resource))
            {
                resource.Compact();
            }
        }

        foreach (var resource in _byType[XdsResourceType.Endpoints].Values)
        {
            resource.Compact();
        }
    }
}
