using System.Diagnostics;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// runtime.idle_trim_after: gives memory back once the process has been quiet, no connection accepted
/// and no byte received on any listener (the admin's included), for that long; then again only after
/// the next activity has come and gone. The first trim after start waits for a shorter quiet spell
/// (<see cref="FirstQuiet"/>): most of what a freshly started proxy holds is start-up's (the executable's
/// pages that loading the config, binding and starting the workers faulted in, the garbage of config
/// parsing), and an idle proxy needs none of it. A trim is what standby gives back, without standby's
/// steering: each awake worker's cached pool pages and head storage (posted, on its own thread), then
/// <see cref="ProcessMemoryTrim"/>. What serves faults back in with the next requests (the code they run:
/// a few hundred KiB); nothing on the data path waits for a trim, which runs on the main thread between
/// its waits for a stop signal (<see cref="Tick"/>).
/// </summary>
internal sealed class IdleTrim(Worker[] workers, TimeSpan quietAfter, long nowMs)
{
    /// <summary>The quiet spell the first trim after start waits for (or <see cref="QuietAfter"/>, when shorter).</summary>
    public static readonly TimeSpan FirstQuiet = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan WorkerPatience = TimeSpan.FromSeconds(2);

    private long _activity = Activity(workers);
    private long _quietSinceMs = nowMs;
    private bool _owed = true;

    public TimeSpan QuietAfter { get; } = quietAfter;

    /// <summary>Trims done since start.</summary>
    public long Trims { get; private set; }

    public DateTimeOffset? LastTrimAt { get; private set; }

    public double LastTrimMs { get; private set; }

    /// <summary>What the last trim gave back: the executable's resident pages, the pools' cached pages.</summary>
    public long LastReleasedCodeBytes { get; private set; }

    public long LastReleasedBufferBytes { get; private set; }

    /// <summary>RSS just before the last trim (null without /proc); what it is now, /stats shows beside it.</summary>
    public long? LastRssBefore { get; private set; }

    /// <summary>How long the main thread waits between ticks: a quarter of the quiet spell awaited, at most a second.</summary>
    public TimeSpan TickInterval => TimeSpan.FromMilliseconds(Math.Clamp(Quiet.TotalMilliseconds / 4, 10, 1000));

    private TimeSpan Quiet => Trims == 0 && FirstQuiet < QuietAfter ? FirstQuiet : QuietAfter;

    /// <summary>Called by the main thread every <see cref="TickInterval"/>; trims when a trim is owed and the quiet spell is long enough. True when it trimmed.</summary>
    public bool Tick(long nowMs)
    {
        var activity = Activity(workers);
        if (activity != _activity)
        {
            _activity = activity;
            _quietSinceMs = nowMs;
            _owed = true;
            return false;
        }

        if (!_owed || nowMs - _quietSinceMs < (long)Quiet.TotalMilliseconds)
        {
            return false;
        }

        _owed = false;
        Trim();
        return true;
    }

    private void Trim()
    {
        var clock = Stopwatch.StartNew();
        var rssBefore = MemoryUsage.ReadRss("/proc/self/statm");
        long buffers = 0;

        // Not disposed: a worker late past the patience still signals it.
        var done = new CountdownEvent(1);
        foreach (var worker in workers)
        {
            // A resting worker (parked in standby) gave its caches back on the way; posting would wake it.
            if (worker.IsResting)
            {
                continue;
            }

            done.AddCount();
            worker.Post(w =>
            {
                try
                {
                    Interlocked.Add(ref buffers, w.ReleaseCachedMemory());
                }
                finally
                {
                    done.Signal();
                }
            });
        }

        done.Signal();
        done.Wait(WorkerPatience);
        var (gcMs, codeBytes) = ProcessMemoryTrim.Run();
        LastTrimMs = clock.Elapsed.TotalMilliseconds;
        LastReleasedCodeBytes = codeBytes;
        LastReleasedBufferBytes = Interlocked.Read(ref buffers);
        LastRssBefore = rssBefore;
        LastTrimAt = DateTimeOffset.UtcNow;
        Trims++;
        Log.Info("idle trim", ("trims", Trims), ("trim_ms", Math.Round(LastTrimMs, 2)), ("gc_ms", Math.Round(gcMs, 2)),
            ("released_code_bytes", codeBytes), ("released_buffer_bytes", LastReleasedBufferBytes),
            ("rss_before", rssBefore ?? -1));
    }

    /// <summary>
    /// Connections accepted and bytes received over every worker and listener: unchanged means quiet. A
    /// listener's bytes are counted as they are read, so requests on connections kept open count too.
    /// </summary>
    private static long Activity(Worker[] workers)
    {
        long sum = 0;
        foreach (var worker in workers)
        {
            foreach (var listener in worker.Stats.Listeners)
            {
                sum += Volatile.Read(ref listener.ConnectionsTotal) + Volatile.Read(ref listener.BytesReceived);
            }
        }

        return sum;
    }
}
