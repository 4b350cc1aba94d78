using MeshEdge.Native.Rpc;

namespace MeshEdge.Native.Tests.Rpc;

/// <summary>A (service, method) pair's counters: the duration buckets found by a table read rather than a walk of the bounds.</summary>
public sealed class RpcMethodStatsTests
{
    [Fact]
    public void Every_duration_lands_in_the_first_bucket_whose_bound_is_not_below_it()
    {
        var bounds = RpcMethodStats.DurationBucketsMs.Select(ms => (long)(ms * 1000)).ToArray();
        var durations = new List<long> { long.MinValue, -1, 0, 1, 2, long.MaxValue };
        foreach (var bound in bounds)
        {
            durations.AddRange([bound - 1, bound, bound + 1]);
        }

        for (var k = 0; k < 63; k++)
        {
            durations.AddRange([(1L << k) - 1, 1L << k, (1L << k) + 1]);
        }

        foreach (var micros in durations)
        {
            var expected = 0;
            while (expected < bounds.Length && micros > bounds[expected])
            {
                expected++;
            }

            Assert.True(expected == RpcMethodStats.BucketOf(micros), $"{micros} us: bucket {RpcMethodStats.BucketOf(micros)}, expected {expected}");
        }
    }

    [Fact]
    public void The_written_out_bounds_are_the_milliseconds_in_microseconds()
    {
        // BucketOf reads the microsecond bounds; the exporters print the millisecond ones.
        var micros = RpcMethodStats.DurationBucketsMs.Select(ms => (long)(ms * 1000)).ToArray();
        for (var bucket = 0; bucket < micros.Length; bucket++)
        {
            Assert.Equal(bucket, RpcMethodStats.BucketOf(micros[bucket]));
            Assert.Equal(bucket + 1, RpcMethodStats.BucketOf(micros[bucket] + 1));
        }

        Assert.Equal(RpcMethodStats.FirstBuckets(), RpcMethodStats.FirstBucketAtLog2.ToArray());
    }

    [Fact]
    public void A_response_counts_its_status_and_its_duration_bucket()
    {
        var stats = new RpcMethodStats("svc", "m");

        stats.RecordResponse(0, 180);
        stats.RecordResponse(0, 250);
        stats.RecordResponse(40, 20_000_000);

        Assert.Equal(2, stats.Statuses[0]);
        Assert.Equal(1, stats.Statuses[RpcMethodStats.StatusSlots - 1]);
        Assert.Equal(2, stats.DurationBuckets[1]);
        Assert.Equal(1, stats.DurationBuckets[^1]);
        Assert.Equal(180 + 250 + 20_000_000, stats.DurationMicrosSum);
    }
}
