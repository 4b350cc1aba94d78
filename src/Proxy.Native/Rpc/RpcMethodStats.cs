using System.Numerics;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// One worker's counters for one (service, method) pair of one RPC listener: plain fields written by
/// that worker only, read by the admin side without locks (values at most a moment old).
/// </summary>
internal sealed class RpcMethodStats(string service, string method)
{
    /// <summary>Response statuses below this get a counter each; the rest share the last one.</summary>
    public const int StatusSlots = 32;

    /// <summary>Upper bounds of the duration buckets, in milliseconds (RPC calls are often sub-millisecond).</summary>
    public static readonly double[] DurationBucketsMs = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    /// <summary>
    /// The same bounds in whole microseconds, which is what a request's duration is counted in. Written
    /// out, not computed from the milliseconds: the compiler then builds the class's statics ahead of
    /// time, and a response reads them with no check that they were initialised (computed, each lookup
    /// paid that check). RpcMethodStatsTests holds the two lists and the table below to each other.
    /// </summary>
    private static readonly long[] DurationBucketsMicros = [100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000];

    /// <summary>
    /// Per power of two k, the first bucket whose bound is at least 2^k: a duration in [2^k, 2^(k+1))
    /// falls in that bucket or the next, since no two bounds are within a factor of two of each other
    /// (2.5, 2, 2, ...). One table read and one compare per response, where walking the bounds took a
    /// compare per bucket passed. Bytes in the executable's data (see <see cref="FirstBuckets"/>).
    /// </summary>
    internal static ReadOnlySpan<byte> FirstBucketAtLog2 =>
    [
        0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 13, 14, 15, 16, 16, 16, 16, 16, 16, 16, 16,
        16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    ];

    public string Service { get; } = service;

    public string Method { get; } = method;

    /// <summary>Requests and oneway calls received.</summary>
    public long Requests;

    /// <summary>Responses the client got (from upstream, or the proxy's own error replies) by status; see <see cref="StatusSlots"/>.</summary>
    public readonly long[] Statuses = new long[StatusSlots];

    /// <summary>Durations (arrival to answer) of the answered requests, counted per bucket, not cumulative; the last bucket is +Inf.</summary>
    public readonly long[] DurationBuckets = new long[DurationBucketsMs.Length + 1];

    public long DurationMicrosSum;

    /// <summary>
    /// The route table <see cref="RouteCluster"/> and <see cref="RouteTimeoutMs"/> came from, or null:
    /// when a table matches on the service and method names alone, every request of this pair takes
    /// the same route, so the pair keeps the answer instead of matching again per request (the
    /// worker's own field; a new table, as a live reload brings, is matched afresh).
    /// </summary>
    public RpcRouteTable? RouteTable;

    public int RouteCluster;

    public int RouteTimeoutMs;

    /// <summary>The counter slot of <paramref name="status"/>.</summary>
    public static int StatusSlot(ushort status) => status < StatusSlots ? status : StatusSlots - 1;

    /// <summary>The label of a status slot: the status number, or "other" for the shared last slot.</summary>
    public static string StatusLabel(int slot) => slot == StatusSlots - 1 ? "other" : slot.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Inlined into the session's record of a request's end: per response, a call cost as much as the counting.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void RecordResponse(ushort status, long micros)
    {
        Statuses[StatusSlot(status)]++;
        DurationMicrosSum += micros;
        DurationBuckets[BucketOf(micros)]++;
    }

    /// <summary>The duration bucket of <paramref name="micros"/>: the first whose bound is not below it, else the last (+Inf).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int BucketOf(long micros)
    {
        var bucket = (int)FirstBucketAtLog2[BitOperations.Log2((ulong)Math.Max(micros, 1))];
        var bounds = DurationBucketsMicros;
        return (uint)bucket < (uint)bounds.Length && micros > bounds[bucket] ? bucket + 1 : bucket;
    }

    /// <summary><see cref="FirstBucketAtLog2"/> as computed from the bounds, for the tests that hold the written-out table to it.</summary>
    internal static byte[] FirstBuckets()
    {
        var first = new byte[64];
        for (var k = 0; k < first.Length; k++)
        {
            var low = 1L << Math.Min(k, 62);
            var bucket = 0;
            while (bucket < DurationBucketsMicros.Length && DurationBucketsMicros[bucket] < low)
            {
                bucket++;
            }

            first[k] = (byte)bucket;
        }

        return first;
    }

    public void Add(RpcMethodStats other)
    {
        Requests += other.Requests;
        DurationMicrosSum += other.DurationMicrosSum;
        for (var i = 0; i < Statuses.Length; i++)
        {
            Statuses[i] += other.Statuses[i];
        }

        for (var i = 0; i < DurationBuckets.Length; i++)
        {
            DurationBuckets[i] += other.DurationBuckets[i];
        }
    }
}
