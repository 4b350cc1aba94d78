namespace MeshEdge.Native.Runtime;

/// <summary>Receives the expiry of a <see cref="TimerEntry"/> it armed, on its worker's thread.</summary>
internal interface ITimerHandler
{
    void OnTimer(TimerEntry timer);

    /// <summary>
    /// <see cref="OnTimer"/> threw (a bug, never an expected condition). The wheel has logged it and
    /// goes on firing the others; an owner that serves a connection ends it here, as the event loop
    /// does for a handler that throws, so that nothing waits for a timer that will not come back.
    /// </summary>
    void OnTimerFault()
    {
    }
}
