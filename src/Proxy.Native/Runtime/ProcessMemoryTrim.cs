using System.Diagnostics;

namespace MeshEdge.Native.Runtime;

/// <summary>What one trim gave back: the collection's time, and the executable's resident bytes dropped.</summary>
internal readonly record struct ProcessTrimResult(double GcMs, long CodeBytes);

/// <summary>
/// The process-wide part of giving memory back to the OS, shared by standby (<see cref="StandbyController"/>)
/// and the idle trim (<see cref="IdleTrim"/>), run after the workers have let their own caches go: the
/// managed heap (an aggressive, blocking, compacting collection, which also decommits the GC's free
/// regions), glibc's free lists (malloc_trim) and the executable's clean read-only pages
/// (<see cref="ExecutablePages"/>), last, so that the collection's own code is not faulted back in
/// (their resident bytes are counted as found before the collection).
/// One at a time: a switch and an idle trim may meet.
/// </summary>
internal static class ProcessMemoryTrim
{
    private static readonly Lock Gate = new();

    public static ProcessTrimResult Run()
    {
        lock (Gate)
        {
            // Found before the collection, which takes the reading's garbage; dropped after everything else.
            var code = ExecutablePages.Find();
            var clock = Stopwatch.StartNew();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

            // The collection wakes the finalizer thread: it runs now, not after the drop, faulting its code back in.
            GC.WaitForPendingFinalizers();
            var gcMs = clock.Elapsed.TotalMilliseconds;
            PageRelease.TrimMalloc();
            return new ProcessTrimResult(gcMs, ExecutablePages.Release(code));
        }
    }
}
