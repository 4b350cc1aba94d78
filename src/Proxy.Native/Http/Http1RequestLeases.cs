using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http;

/// <summary>
/// One worker's idle <see cref="Http1RequestLease"/>s: a lease costs objects once, when the worker
/// first has that many HTTP/1 requests in progress at the same time, and nothing per request or per
/// connection after. Worker-local, so no locking.
/// </summary>
internal sealed class Http1RequestLeases(Worker worker)
{
    /// <summary>Idle leases kept beyond this are left to the GC (a burst does not pin its peak forever).</summary>
    private const int MaxIdle = 1024;

    private readonly Stack<Http1RequestLease> _idle = new();

    public int Idle => _idle.Count;

    /// <summary>A lease whose exchange answers through <paramref name="owner"/> on <paramref name="listener"/>.</summary>
    public Http1RequestLease Rent(ListenerRuntime listener, IDownstreamStream owner)
    {
        if (!_idle.TryPop(out var lease))
        {
            return new Http1RequestLease(worker, listener, owner);
        }

        lease.Exchange.Lend(owner, listener);
        return lease;
    }

    /// <summary>Takes back a lease whose exchange is over and whose head, trailers and staging are cleared.</summary>
    public void Return(Http1RequestLease lease)
    {
        lease.Exchange.ForgetCluster();
        if (_idle.Count < MaxIdle)
        {
            _idle.Push(lease);
        }
    }
}
