using System.Collections.Immutable;
using System.Net;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// Round robin over a cluster's hosts. One instance per worker, so its cursor is never shared;
/// each worker starts at a different host so that N workers do not all begin on the first one.
/// </summary>
internal sealed class RoundRobinBalancer(ImmutableArray<IPEndPoint> hosts, int start)
{
    private int _next = hosts.Length == 0 ? 0 : start % hosts.Length;

    public IPEndPoint Next()
    {
        var host = hosts[_next];
        _next = _next + 1 == hosts.Length ? 0 : _next + 1;
        return host;
    }
}
