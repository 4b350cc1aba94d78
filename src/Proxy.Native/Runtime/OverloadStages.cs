using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Network;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// The overload manager's gentler stages, one set per worker, each entered when the worker's pooled
/// buffers in use pass its fraction of the worker's budget share and left when they fall back under it:
/// stop reading for the connections that hold the most (the sessions' flow control then stops feeding
/// them), close idle HTTP keep-alive connections and answer with <c>connection: close</c>, stop
/// accepting. The reject stage (<see cref="BufferOverload"/>) sits above them all. The pool calls back
/// once when its level leaves the band around the last check (<see cref="BlockPool.Watch"/>), in the
/// middle of a read or a send; the check itself is posted and runs between events, where closing or
/// pausing connections is safe. Nothing accepted is dropped: held connections resume, idle ones close
/// the way keep-alive connections always may, and unaccepted ones wait in the kernel's queue.
/// </summary>
internal sealed class OverloadStages
{
    private readonly Worker _worker;
    private readonly List<Connection> _held = [];
    private readonly List<Connection> _candidates = [];
    private bool _checkPosted;
    private long _heldAtBytes;

    public OverloadStages(Worker worker)
    {
        _worker = worker;
        All = [StopReading, DisableKeepAlive, StopAccepting];
    }

    public OverloadStage StopReading { get; } = new("stop_reading", "reading paused for the connections holding the most buffered bytes");

    public OverloadStage DisableKeepAlive { get; } = new("disable_keepalive", "idle keep-alive connections closed, responses say connection: close");

    public OverloadStage StopAccepting { get; } = new("stop_accepting", "listeners paused, new connections wait in the kernel's queue");

    public OverloadStage[] All { get; }

    /// <summary>Connections held by stop_reading now.</summary>
    public int HeldConnections => _held.Count;

    /// <summary>Sets each stage's threshold from the worker's share of the budget and arms the pool's watch.</summary>
    public void Configure(long share, OverloadThresholds thresholds)
    {
        StopReading.ThresholdBytes = ThresholdOf(share, thresholds.StopReading);
        DisableKeepAlive.ThresholdBytes = ThresholdOf(share, thresholds.DisableKeepAlive);
        StopAccepting.ThresholdBytes = ThresholdOf(share, thresholds.StopAccepting);
        Arm();
    }

    /// <summary>The bytes a stage enters at; long.MaxValue when it is off (fraction 0) or there is no budget.</summary>
    public static long ThresholdOf(long share, double fraction) =>
        share == long.MaxValue || fraction <= 0 ? long.MaxValue : (long)(share * fraction);

    /// <summary>Runs on the worker's thread between events; re-arms the watch around the level it finds.</summary>
    public void Check()
    {
        _checkPosted = false;
        var inUse = _worker.Pool.InUseBytes;
        Apply(StopReading, inUse, HoldBiggest, ReleaseHeld);
        if (StopReading.Active && inUse > _heldAtBytes + StepBytes)
        {
            // Still growing while held: others now hold the most, so hold them too.
            HoldBiggest();
        }

        Apply(DisableKeepAlive, inUse, EndKeepAlive, () => _worker.KeepAliveDisabled = false);
        Apply(StopAccepting, inUse, () => HoldListeners(true), () => HoldListeners(false));
        Arm();
    }

    private long StepBytes => Math.Max(_worker.Pool.BlockSize, StopReading.ThresholdBytes / 16);

    private void Apply(OverloadStage stage, long inUse, Action enter, Action leave)
    {
        if (!stage.Enabled)
        {
            return;
        }

        if (!stage.Active && inUse > stage.ThresholdBytes)
        {
            stage.Active = true;
            stage.Trips++;
            Log.Warn($"overload: {stage.Name} entered, {stage.Effect}",
                ("worker", _worker.Id), ("buffers_in_use_bytes", inUse), ("threshold_bytes", stage.ThresholdBytes));
            enter();
        }
        else if (stage.Active && inUse <= stage.LeaveBytes)
        {
            stage.Active = false;
            leave();
            Log.Info($"overload: {stage.Name} left", ("worker", _worker.Id), ("buffers_in_use_bytes", inUse), ("threshold_bytes", stage.ThresholdBytes));
        }
    }

    /// <summary>The next level (in blocks) up or down at which a stage could change: the pool calls back past either.</summary>
    private void Arm()
    {
        var pool = _worker.Pool;
        var inUse = pool.InUseBytes;
        long upper = long.MaxValue, lower = long.MinValue;
        foreach (var stage in All)
        {
            if (!stage.Enabled)
            {
                continue;
            }

            if (stage.Active)
            {
                lower = Math.Max(lower, stage.LeaveBytes);
            }
            else
            {
                upper = Math.Min(upper, stage.ThresholdBytes);
            }
        }

        if (StopReading.Active)
        {
            upper = Math.Min(upper, Math.Max(inUse, _heldAtBytes) + StepBytes);
        }

        pool.Watch(ToBlocks(lower, pool.BlockSize, roundUp: true), ToBlocks(upper, pool.BlockSize, roundUp: false), RequestCheck);
    }

    private static int ToBlocks(long bytes, int blockSize, bool roundUp)
    {
        if (bytes == long.MaxValue)
        {
            return int.MaxValue;
        }

        if (bytes == long.MinValue)
        {
            return int.MinValue;
        }

        // Rent fires above the upper mark and return below the lower one, both in whole blocks.
        return (int)Math.Min(int.MaxValue - 1, roundUp ? (bytes + blockSize - 1) / blockSize : bytes / blockSize);
    }

    private void RequestCheck()
    {
        if (!_checkPosted)
        {
            _checkPosted = true;
            _worker.Post(static w => w.OverloadStages.Check());
        }
    }

    /// <summary>Holds the connections holding the most, biggest first, until those held cover half of what is in use.</summary>
    private void HoldBiggest()
    {
        _candidates.Clear();
        _worker.CollectConnections(_candidates);
        _candidates.Sort(static (a, b) => b.BufferedBytes.CompareTo(a.BufferedBytes));
        var inUse = _worker.Pool.InUseBytes;
        long covered = 0;
        foreach (var connection in _held)
        {
            covered += connection.State == ConnectionState.Open ? connection.BufferedBytes : 0;
        }

        foreach (var connection in _candidates)
        {
            if (covered * 2 >= inUse || connection.BufferedBytes == 0)
            {
                break;
            }

            if (connection.HoldForOverload())
            {
                _held.Add(connection);
                StopReading.Actions++;
                covered += connection.BufferedBytes;
            }
        }

        _candidates.Clear();
        _heldAtBytes = inUse;
    }

    private void ReleaseHeld()
    {
        foreach (var connection in _held)
        {
            connection.ReleaseOverloadHold();
        }

        _held.Clear();
        _heldAtBytes = 0;
    }

    private void EndKeepAlive()
    {
        _worker.KeepAliveDisabled = true;
        DisableKeepAlive.Actions += _worker.EndHttpKeepAlive();
    }

    private void HoldListeners(bool hold)
    {
        StopAccepting.Actions += _worker.HoldListeners(hold);
    }
}
