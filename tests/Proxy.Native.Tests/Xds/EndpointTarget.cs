using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>A live target that also swaps hosts in place, as the process does: records which way each change came (whole config or hosts only).</summary>
internal sealed class EndpointTarget : ILiveConfigTarget, ILiveEndpointTarget
{
    public List<ProxyConfig> Whole { get; } = [];

    public List<IReadOnlyList<ClusterConfig>> HostsOnly { get; } = [];

    /// <summary>When set, the short way is refused with this reason (as when the cluster is not running).</summary>
    public string? HostsRefusal { get; set; }

    public string? TryApply(ProxyConfig next, string origin, string version)
    {
        Whole.Add(next);
        return null;
    }

    public string? TryUpdateHosts(IReadOnlyList<ClusterConfig> clusters, string origin, string version)
    {
        if (HostsRefusal is not null)
        {
            return HostsRefusal;
        }

        HostsOnly.Add([.. clusters]);
        return null;
    }
}
