namespace MeshEdge.Native.Runtime;

/// <summary>One overload stage over all workers: in effect on any, entered how often, acted on how many, entered above how many bytes (per worker).</summary>
internal readonly record struct OverloadStageTotals(string Name, bool Active, long Trips, long Actions, long? ThresholdBytes)
{
    /// <summary>Every stage in the order it is entered as buffers rise, the reject stage last.</summary>
    public static OverloadStageTotals[] Collect(IReadOnlyList<Worker> workers)
    {
        if (workers.Count == 0)
        {
            return [];
        }

        var stages = workers[0].OverloadStages.All;
        var totals = new OverloadStageTotals[stages.Length + 1];
        for (var i = 0; i < stages.Length; i++)
        {
            bool active = false;
            long trips = 0, actions = 0;
            foreach (var worker in workers)
            {
                var stage = worker.OverloadStages.All[i];
                active |= stage.Active;
                trips += stage.Trips;
                actions += stage.Actions;
            }

            totals[i] = new OverloadStageTotals(stages[i].Name, active, trips, actions, Threshold(stages[i].ThresholdBytes));
        }

        var reject = OverloadTotals.Collect(workers);
        totals[^1] = new OverloadStageTotals("reject_requests", reject.Active, reject.Trips, reject.RejectedHttp + reject.RejectedRpc,
            Threshold(workers[0].Overload.RejectAt));
        return totals;
    }

    private static long? Threshold(long bytes) => bytes == long.MaxValue ? null : bytes;
}
