using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Xds;

/// <summary>
/// The target while the process cannot yet apply a config as it runs (ProxyHost implements
/// <see cref="ILiveConfigTarget"/> once live configuration lands): every pushed config is checked
/// whole by the client, then refused here with the reason, so the control plane gets a NACK rather
/// than an ACK for something not done.
/// </summary>
internal sealed class UnavailableLiveTarget : ILiveConfigTarget
{
    public string? TryApply(ProxyConfig next, string origin, string version) =>
        "this build cannot apply a config while it runs (live configuration is not in it yet); the config it started with stays";
}
