namespace MeshEdge.Native.Runtime;

/// <summary>Receives the expiry of a <see cref="TimerEntry"/> it armed, on its worker's thread.</summary>
internal interface ITimerHandler
{
    void OnTimer(TimerEntry timer);
}
