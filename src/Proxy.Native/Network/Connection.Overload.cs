namespace MeshEdge.Native.Network;

/// <summary>
/// The overload manager's hold on a connection that holds many buffered bytes: it stops reading from
/// the socket, and its output queue counts as over its high watermark, so the session stops feeding it
/// from the other side (the sessions' own flow control, not a new path). The hold lasts until the stage
/// is left, even when the output drains meanwhile: a slow reader's kernel buffers take a lot before
/// they stop, and a hold ended by each drain would let its feeder refill the proxy's buffers.
/// </summary>
internal sealed partial class Connection
{
    private bool _overloadHeld;
    private bool _watermarkForced;

    /// <summary>Bytes this connection holds in its input and output chains.</summary>
    public long BufferedBytes => Input.Length + Output.Length;

    public bool IsOverloadHeld => _overloadHeld;

    /// <summary>
    /// The output length at which a paused feeder resumes: never while a forced hold lasts; while the
    /// pool is past stop_reading's threshold, half the fair share (a feeder stopped at its share must
    /// not resume on the flush its own write scheduled).
    /// </summary>
    private long LowWatermarkNow => _watermarkForced ? -1
        : Worker.Pool.OverPressureMark ? Math.Min(_lowWatermark, Worker.FairShareBytes / 2)
        : _lowWatermark;

    /// <summary>
    /// True when the worker's pool is past stop_reading's threshold and this output holds more than its
    /// fair share of that threshold: the feeder stops on the write that took the bytes. Checked where a
    /// write queues bytes, after the buffer_limit compare; the pool's compare costs two field reads.
    /// Without it the stage's posted check came a command later, by which time every upstream could
    /// have filled its slow reader's output to buffer_limit, well past the budget.
    /// </summary>
    private bool OverFairShare => Worker.Pool.OverPressureMark && Output.Length > Worker.FairShareBytes;

    /// <summary>Stops reading and feeding this connection; false when it was held already or is closing.</summary>
    public bool HoldForOverload()
    {
        if (_overloadHeld || State != ConnectionState.Open)
        {
            return false;
        }

        _overloadHeld = true;
        ReadDisable(true);
        if (!_aboveHighWatermark)
        {
            _aboveHighWatermark = true;
            _watermarkForced = true;
            Handler.OnAboveHighWatermark(this);
        }

        return true;
    }

    /// <summary>Ends the hold: reading resumes and the feeder with it, unless the real watermark still says wait.</summary>
    public void ReleaseOverloadHold()
    {
        if (!_overloadHeld)
        {
            return;
        }

        _overloadHeld = false;
        var forced = _watermarkForced;
        _watermarkForced = false;
        if (State != ConnectionState.Open)
        {
            return;
        }

        ReadDisable(false);
        if (forced && _aboveHighWatermark && Output.Length <= _lowWatermark && State == ConnectionState.Open)
        {
            _aboveHighWatermark = false;
            Handler.OnBelowLowWatermark(this);
        }
    }
}
