namespace MeshEdge.Native.Runtime;

/// <summary>
/// One staged overload action of one worker: the bytes of pooled buffers in use at which it is entered,
/// whether it is in effect, and how often it was entered. Plain fields: the worker writes, the admin
/// side reads values a moment old.
/// </summary>
internal sealed class OverloadStage(string name, string effect)
{
    /// <summary>The stage's config key and metric label (stop_reading, disable_keepalive, stop_accepting).</summary>
    public string Name { get; } = name;

    /// <summary>What entering it does, for the log line.</summary>
    public string Effect { get; } = effect;

    /// <summary>Entered above this many bytes in use; never when long.MaxValue (the stage is off or there is no budget).</summary>
    public long ThresholdBytes { get; set; } = long.MaxValue;

    /// <summary>Left at or below this many (a sixteenth below the threshold, so it does not flap on every block).</summary>
    public long LeaveBytes => ThresholdBytes == long.MaxValue ? long.MaxValue : ThresholdBytes - (ThresholdBytes / 16);

    public bool Active { get; set; }

    public long Trips;

    /// <summary>Connections the stage acted on: held, told to close, or listeners paused.</summary>
    public long Actions;

    public bool Enabled => ThresholdBytes != long.MaxValue;
}
