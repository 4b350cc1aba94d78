using MeshEdge.Interop;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Network;
using MeshEdge.Native.Network.Interop;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Runtime;

/// <summary>The event loop itself: wait, dispatch, run what the events scheduled, advance the timers.</summary>
internal sealed unsafe partial class Worker
{
    /// <summary>
    /// runtime.busy_poll: after a turn that found events, the worker polls without sleeping for this
    /// long before it blocks in epoll_wait again. A sleeping worker costs both sides a wake-up (an
    /// interrupt to its core from the sender's, and the scheduler's delay before it runs: tens of
    /// microseconds on a virtual machine); a polling one is simply found running. Zero: sleep at once.
    /// </summary>
    public TimeSpan BusyPoll { get; init; }

    /// <summary>
    /// The event loop; returns when the worker is told to stop, or when, parked in standby with nothing
    /// left to serve, it gives its thread back (<see cref="TryRest"/>; the next command posted starts
    /// another thread here). Only the end for good counts for <see cref="WaitEnded"/>.
    /// </summary>
    public void Run()
    {
        var rested = false;
        try
        {
            rested = RunLoop();
        }
        finally
        {
            if (!rested)
            {
                _loopEnded.Set();
            }
        }
    }

    private bool RunLoop()
    {
        NowMs = Environment.TickCount64;

        // After a rest: the commands that woke the worker run before anything else.
        RunCommands();
        var busyPollTicks = (long)(BusyPoll.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        var lastEventTimestamp = long.MinValue / 2;
        var stats = Stats;
        while (!_stopRequested)
        {
            var timeout = _pendingReads.Count > 0 || _pendingFlushes.Count > 0 ? 0 : Timers.MillisecondsUntilNext(NowMs);
            if (timeout != 0 && CanRest && TryRest())
            {
                return true;
            }

            if (timeout != 0 && NowTimestamp - lastEventTimestamp < busyPollTicks)
            {
                timeout = 0;
                stats.BusyPollWaits++;
            }

            stats.EpollWaits++;
            var count = Libc.EpollWait(EpollFd, _events, MaxEventsPerWait, timeout);
            NowMs = Environment.TickCount64;
            NowTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
            if (count > 0)
            {
                lastEventTimestamp = NowTimestamp;
            }

            if (count < 0 && Libc.Errno != EINTR)
            {
                Log.Error("epoll_wait failed", ("worker", Id), ("error", Libc.Describe(Libc.Errno)));
                break;
            }

            for (var i = 0; i < count; i++)
            {
                Dispatch(EpollEventLayout.ReadData(_events, i), EpollEventLayout.ReadEvents(_events, i));
            }

            RunPending(ref _pendingReads, flush: false);
            RunPending(ref _pendingFlushes, flush: true);
            Timers.Advance(NowMs);
            if (_draining && ConnectionCount == 0)
            {
                break;
            }
        }

        return false;
    }

    private void Dispatch(ulong data, uint events)
    {
        var slot = (int)(uint)data;
        var handler = _handlers[slot];
        if (handler is null || _generations[slot] != (uint)(data >> 32))
        {
            return;
        }

        try
        {
            handler.OnEpollEvents(events);
        }
        catch (Exception ex)
        {
            OnHandlerFault(handler, ex);
        }
    }

    /// <summary>
    /// Runs the reads or flushes the turn scheduled. Work may schedule more work; whatever is added
    /// now goes to the other (empty) list, swapped in, and runs on the next turn of the loop. A swap
    /// and a direct call, where copying the list and calling through two delegates per connection
    /// cost more than the rest of a turn with one call in flight.
    /// </summary>
    private void RunPending(ref List<Connection> pending, bool flush)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var batch = pending;
        pending = _batch;
        _batch = batch;
        foreach (var connection in batch)
        {
            if (flush)
            {
                connection.FlushQueued = false;
            }
            else
            {
                connection.ReadQueued = false;
            }

            try
            {
                if (flush)
                {
                    connection.Flush();
                }
                else
                {
                    connection.OnScheduledRead();
                }
            }
            catch (Exception ex)
            {
                OnHandlerFault(connection, ex);
            }
        }

        batch.Clear();
    }

    /// <summary>A bug, not an expected condition: close what caused it, log, and keep serving.</summary>
    private void OnHandlerFault(IEpollHandler handler, Exception ex)
    {
        Log.Error("worker fault", ("worker", Id), ("handler", handler.GetType().Name), ("error", ex.Message));
        if (handler is Connection connection)
        {
            try
            {
                connection.Close(CloseMode.Abort);
            }
            catch (Exception inner)
            {
                Log.Error("worker fault while closing", ("worker", Id), ("error", inner.Message));
            }
        }
    }
}
