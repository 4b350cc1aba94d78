using System.Numerics;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// A hashed timer wheel owned by one worker: O(1) arm and cancel, expiry checked once per event
/// batch. Deadlines further away than one turn wait in their slot until their turn comes round.
/// A bitmap of non-empty slots tells the event loop how long it may sleep without scanning.
/// </summary>
internal sealed class TimerWheel
{
    public const int TickMs = 10;
    private const int SlotCount = 1024;
    private const int SlotMask = SlotCount - 1;

    private readonly TimerEntry?[] _slots = new TimerEntry?[SlotCount];
    private readonly ulong[] _occupied = new ulong[SlotCount / 64];
    private readonly List<TimerEntry> _expired = [];
    private readonly int _workerId;
    private long _currentTick;

    public TimerWheel(long nowMs, int workerId = -1)
    {
        _currentTick = nowMs / TickMs;
        _workerId = workerId;
    }

    public int Count { get; private set; }

    /// <summary>Timer handlers that threw; each was logged, and the worker went on.</summary>
    public long Faults { get; private set; }

    /// <summary>Arms (or re-arms) <paramref name="timer"/> to fire <paramref name="delayMs"/> from now.</summary>
    public void Arm(TimerEntry timer, long nowMs, long delayMs)
    {
        Cancel(timer);
        // Round up so a timer never fires early, and always at least one tick ahead.
        var deadline = Math.Max((nowMs + delayMs + TickMs - 1) / TickMs, _currentTick + 1);
        timer.DeadlineTick = deadline;
        var slot = (int)(deadline & SlotMask);
        timer.Slot = slot;
        timer.Previous = null;
        timer.Next = _slots[slot];
        if (timer.Next is not null)
        {
            timer.Next.Previous = timer;
        }

        _slots[slot] = timer;
        _occupied[slot >> 6] |= 1UL << (slot & 63);
        Count++;
    }

    public void Cancel(TimerEntry timer)
    {
        timer.Firing = false;
        if (timer.Slot < 0)
        {
            return;
        }

        var slot = timer.Slot;
        if (timer.Previous is not null)
        {
            timer.Previous.Next = timer.Next;
        }
        else
        {
            _slots[slot] = timer.Next;
        }

        if (timer.Next is not null)
        {
            timer.Next.Previous = timer.Previous;
        }

        if (_slots[slot] is null)
        {
            _occupied[slot >> 6] &= ~(1UL << (slot & 63));
        }

        timer.Slot = -1;
        timer.Previous = timer.Next = null;
        Count--;
    }

    /// <summary>Fires every timer whose deadline is at or before <paramref name="nowMs"/>.</summary>
    public void Advance(long nowMs)
    {
        var target = nowMs / TickMs;
        if (target <= _currentTick)
        {
            return;
        }

        // After a long stall one full turn visits every slot; no need to walk each missed tick.
        var start = Math.Max(_currentTick + 1, target - SlotMask);
        _currentTick = target;
        for (var tick = start; tick <= target && Count > 0; tick++)
        {
            FireSlot((int)(tick & SlotMask), target);
        }
    }

    /// <summary>Milliseconds the event loop may sleep before the next slot with timers: -1 when none.</summary>
    public int MillisecondsUntilNext(long nowMs)
    {
        if (Count == 0)
        {
            return -1;
        }

        var from = (int)((_currentTick + 1) & SlotMask);
        var distance = DistanceToOccupied(from);
        var dueMs = ((_currentTick + 1 + distance) * TickMs) - nowMs;
        return (int)Math.Clamp(dueMs, 0, int.MaxValue);
    }

    private void FireSlot(int slot, long target)
    {
        // Detach first, fire after: a handler may cancel or re-arm any timer, including the
        // neighbours of the one firing, so the slot's list must not be walked while handlers run.
        for (var timer = _slots[slot]; timer is not null;)
        {
            var next = timer.Next;
            if (timer.DeadlineTick <= target)
            {
                Cancel(timer);
                timer.Firing = true;
                _expired.Add(timer);
            }

            timer = next;
        }

        foreach (var timer in _expired)
        {
            if (timer.Firing)
            {
                timer.Firing = false;
                Fire(timer);
            }
        }

        _expired.Clear();
    }

    /// <summary>
    /// One handler's bug must not end the worker, nor leave the rest of the batch marked as firing:
    /// it is logged and its owner told, and the others fire as planned.
    /// </summary>
    private void Fire(TimerEntry timer)
    {
        try
        {
            timer.Owner.OnTimer(timer);
        }
        catch (Exception ex)
        {
            Faults++;
            Log.Error("worker fault", ("worker", _workerId), ("handler", timer.Owner.GetType().Name), ("error", ex.Message));
            try
            {
                timer.Owner.OnTimerFault();
            }
            catch (Exception inner)
            {
                Log.Error("worker fault while closing", ("worker", _workerId), ("error", inner.Message));
            }
        }
    }

    /// <summary>Slots from <paramref name="from"/> (inclusive, wrapping) to the first occupied one.</summary>
    private int DistanceToOccupied(int from)
    {
        var index = from;
        for (var scanned = 0; scanned < SlotCount;)
        {
            var bit = index & 63;
            var bits = _occupied[index >> 6] >> bit;
            if (bits != 0)
            {
                return scanned + BitOperations.TrailingZeroCount(bits);
            }

            scanned += 64 - bit;
            index = (index + 64 - bit) & SlotMask;
        }

        return SlotCount - 1;
    }
}
