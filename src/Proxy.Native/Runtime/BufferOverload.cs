using System.Runtime.CompilerServices;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// The first overload action: while this worker's pooled buffers in use exceed its share of the
/// memory budget, new HTTP requests and RPC calls get the protocol's overload reply (HTTP 503,
/// Bolt SERVER_THREADPOOL_BUSY) instead of being proxied; what was already accepted goes on, and
/// its buffers going back to the pool end the state. Each worker holds a share (budget / workers)
/// of its own pool, so the check reads only the worker's own counters: no shared figure on the data
/// path. Checked once per new request (a multiply and two compares); a change of state is logged.
/// </summary>
internal sealed class BufferOverload(int workerId, BlockPool pool)
{
    /// <summary>This worker's share of the memory budget (budget / workers); no budget: all.</summary>
    public long Share { get; set; } = long.MaxValue;

    /// <summary>
    /// Bytes of blocks in use this worker may hold before it refuses new work: the share times
    /// <c>runtime.overload.reject_requests</c> (the whole share by default; never when that is 0).
    /// </summary>
    public long RejectAt { get; set; } = long.MaxValue;

    /// <summary>Requests and calls refused while over the share. Plain fields: one writer, the worker.</summary>
    public long RejectedHttp;

    public long RejectedRpc;

    /// <summary>Times the worker went over its share.</summary>
    public long Trips;

    /// <summary>The state the last check found (the admin side reads it; a moment old at worst).</summary>
    public bool Active { get; private set; }

    /// <summary>True when a new request may proceed; false (counted) when it gets the overload reply.</summary>
    /// <remarks>
    /// Inlined into the request paths: the common case (not over the share, and was not) is two loads, a
    /// multiply and a compare at the call site; a change of state or a refusal takes the call below.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAdmit(bool rpc) => (!Active && pool.InUseBytes <= RejectAt) || TryAdmitChecked(rpc);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryAdmitChecked(bool rpc)
    {
        var over = pool.InUseBytes > RejectAt;
        if (over != Active)
        {
            Change(over);
        }

        if (!over)
        {
            return true;
        }

        if (rpc)
        {
            RejectedRpc++;
        }
        else
        {
            RejectedHttp++;
        }

        return false;
    }

    private void Change(bool over)
    {
        Active = over;
        if (over)
        {
            Trips++;
            Log.Warn("overload: pooled buffers over the memory budget, new requests get the overload reply",
                ("worker", workerId), ("buffers_in_use_bytes", pool.InUseBytes), ("budget_share_bytes", Share), ("threshold_bytes", RejectAt));
        }
        else
        {
            Log.Info("overload: pooled buffers back under the memory budget, new requests proxied again",
                ("worker", workerId), ("buffers_in_use_bytes", pool.InUseBytes), ("budget_share_bytes", Share), ("threshold_bytes", RejectAt));
        }
    }
}
