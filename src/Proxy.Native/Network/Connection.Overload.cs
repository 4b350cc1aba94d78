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

    /// <summary>The output length at which a paused feeder resumes: never while a forced hold lasts.</summary>
    private long LowWatermarkNow => _watermarkForced ? -1 : _lowWatermark;

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
