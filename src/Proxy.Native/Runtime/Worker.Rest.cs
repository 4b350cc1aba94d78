namespace MeshEdge.Native.Runtime;

/// <summary>
/// A parked worker (standby) that has nothing left to serve gives its thread back: no connections, no
/// timers armed, no reads, flushes or commands queued. Its loop returns and the thread ends, taking its
/// stack and per-thread caches with it; the worker itself (epoll set, listening sockets, pool, stats)
/// stays. The next command posted to it (back to active, a config change, the drain, the stop) starts
/// a thread for it again through the host's starter, so nothing else needs to know. New connections do
/// not come meanwhile: the reuseport program steers them to worker 0's sockets, so only a controller
/// whose steering took lets a worker rest (<see cref="MayRest"/>).
/// </summary>
internal sealed partial class Worker
{
    private const int ThreadRunning = 0;
    private const int ThreadGivenBack = 1;

    private readonly ManualResetEventSlim _loopEnded = new(false);
    private int _threadState;

    /// <summary>Starts a thread that runs <see cref="Run"/>: the host's, with its error handling. None: never rests.</summary>
    public Func<Worker, Thread>? ThreadStarter { get; set; }

    /// <summary>Set by standby on parked workers once accepts are steered away from them.</summary>
    public bool MayRest { get; set; }

    /// <summary>True while no thread runs this worker (read by the admin side).</summary>
    public bool IsResting => Volatile.Read(ref _threadState) == ThreadGivenBack;

    /// <summary>Times this worker gave its thread back.</summary>
    public long Rests;

    /// <summary>Waits until the loop has ended for good (stopped, drained, or failed); a rest does not count.</summary>
    public bool WaitEnded(int milliseconds) => _loopEnded.Wait(milliseconds);

    private bool CanRest =>
        MayRest && IsParked && ThreadStarter is not null && !_draining && ConnectionCount == 0
        && _pendingReads.Count == 0 && _pendingFlushes.Count == 0 && Timers.Count == 0 && _commands.IsEmpty;

    /// <summary>
    /// Marks the thread given back; true when the loop should return. A command posted in between is
    /// seen here (the mark is a full fence before the queue is read): then the worker takes its thread
    /// back, unless the poster saw the mark first and has started another thread, which then runs it.
    /// </summary>
    private bool TryRest()
    {
        Interlocked.Exchange(ref _threadState, ThreadGivenBack);
        if (_commands.IsEmpty)
        {
            Rests++;
            return true;
        }

        return Interlocked.CompareExchange(ref _threadState, ThreadRunning, ThreadGivenBack) != ThreadGivenBack;
    }

    /// <summary>After a command is queued: a worker resting gets a thread again to run it.</summary>
    private void WakeIfResting()
    {
        if (Volatile.Read(ref _threadState) == ThreadGivenBack
            && Interlocked.CompareExchange(ref _threadState, ThreadRunning, ThreadGivenBack) == ThreadGivenBack)
        {
            ThreadStarter!(this);
        }
    }
}
