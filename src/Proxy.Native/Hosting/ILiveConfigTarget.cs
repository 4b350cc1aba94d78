using MeshEdge.Config.Model;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Where a new whole configuration goes while the process runs: a watched file, `meshedge reload`,
/// the admin endpoint and the xDS client all hand their result here. The running process validates
/// it whole, compiles it and applies only what changed; an invalid one changes nothing.
/// </summary>
internal interface ILiveConfigTarget
{
    /// <summary>
    /// Applies <paramref name="next"/> as a diff against the running configuration. Returns null when
    /// it took effect, else the reason it was refused (nothing changed then).
    /// </summary>
    /// <param name="origin">Who supplied it, for logs and /config_dump: "file", "reload", "admin", "xds".</param>
    /// <param name="version">The supplier's version of it (a file's hash, an xDS version_info).</param>
    string? TryApply(ProxyConfig next, string origin, string version);
}
