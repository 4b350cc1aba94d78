namespace MeshEdge.Native.Runtime;

/// <summary>The buffer overload action over all workers: whether any is refusing now, how often they went over, what they refused.</summary>
internal readonly record struct OverloadTotals(bool Active, long Trips, long RejectedHttp, long RejectedRpc)
{
    public static OverloadTotals Collect(IReadOnlyList<Worker> workers)
    {
        var totals = default(OverloadTotals);
        foreach (var worker in workers)
        {
            var overload = worker.Overload;
            totals = new OverloadTotals(totals.Active || overload.Active, totals.Trips + overload.Trips,
                totals.RejectedHttp + overload.RejectedHttp, totals.RejectedRpc + overload.RejectedRpc);
        }

        return totals;
    }
}
