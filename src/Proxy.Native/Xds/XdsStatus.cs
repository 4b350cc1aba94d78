namespace MeshEdge.Native.Xds;

/// <summary>
/// The xDS client's state for the admin side: per type (<see cref="XdsTypeStatus"/>), whether the
/// stream to the control plane is up, and client-wide counters. One per client; <see cref="Current"/>
/// is the running process's, null when the config has no ADS source.
/// </summary>
internal sealed class XdsStatus
{
    public static XdsStatus? Current { get; set; }

    public XdsStatus(string variant)
    {
        Variant = variant;
        Types = XdsResourceType.All.Select(t => new XdsTypeStatus(t.ShortName, t.TypeUrl)).ToArray();
    }

    /// <summary>"sotw" or "delta".</summary>
    public string Variant { get; }

    public IReadOnlyList<XdsTypeStatus> Types { get; }

    public bool Connected { get; internal set; }

    public long Connects { get; internal set; }

    public long Disconnects { get; internal set; }

    /// <summary>HTTP filters marked is_optional that MeshEdge does not run, skipped.</summary>
    public long OptionalFiltersSkipped { get; internal set; }

    public XdsTypeStatus For(XdsResourceType type) => Types.First(t => t.TypeUrl == type.TypeUrl);
}
