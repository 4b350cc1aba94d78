namespace MeshEdge.Native.Runtime;

/// <summary>
/// An intrusive timer node: its owner allocates it once and re-arms it as often as it likes, so
/// arming a timer never allocates. <see cref="Kind"/> lets one owner tell its timers apart.
/// </summary>
internal sealed class TimerEntry(ITimerHandler owner, int kind)
{
    public ITimerHandler Owner { get; } = owner;

    public int Kind { get; } = kind;

    /// <summary>Absolute expiry in wheel ticks.</summary>
    internal long DeadlineTick;

    internal int Slot = -1;

    internal TimerEntry? Previous;

    internal TimerEntry? Next;

    /// <summary>Expired and about to fire; cancelling clears it so the handler is not called.</summary>
    internal bool Firing;

    public bool IsArmed => Slot >= 0;
}
