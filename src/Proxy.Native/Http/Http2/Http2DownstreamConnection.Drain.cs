using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http.Http2;

/// <summary>
/// Ending gracefully: the two-phase GOAWAY of a drain (hot upgrade, shutdown, a listener removed by
/// a live config change, the disable_keepalive overload stage), and the idle timeout; and, not
/// gracefully, the SETTINGS timeout (a client that never acknowledged our SETTINGS).
/// </summary>
internal sealed partial class Http2DownstreamConnection : ITimerHandler
{
    private const int IdleTimerKind = 0;
    private const int DrainTimerKind = 1;
    private const int SettingsTimerKind = 2;

    /// <summary>
    /// Between the first GOAWAY (2^31-1: stop opening streams) and the final one (the last stream we
    /// took): streams the client opened before it heard the first are still on their way meanwhile.
    /// Envoy waits its drain_timeout; about a round trip is what the spec asks (RFC 9113 §6.8).
    /// </summary>
    private const long GoAwayGraceMs = 1000;

    private readonly TimerEntry _idleTimer;
    private readonly TimerEntry _drainTimer;
    private readonly Http2SettingsAckTimer _settingsTimer;
    private bool _draining;

    public void OnDrain(Connection connection)
    {
        if (_draining || _closed)
        {
            return;
        }

        _draining = true;
        _h2.BeginDrain();
        SyncCounters();
        FlushOutput();
        _worker.Timers.Arm(_drainTimer, _worker.NowMs, GoAwayGraceMs);
    }

    public void OnTimerFault() => Close(CloseMode.Abort);

    public void OnTimer(TimerEntry timer)
    {
        if (_closed)
        {
            return;
        }

        if (timer.Kind == SettingsTimerKind)
        {
            // No ACK for our SETTINGS in time: the GOAWAY goes out, then the connection closes.
            if (Http2SettingsAckTimer.Expire(_h2))
            {
                SyncCounters();
                FlushOutput();
                CloseIfDone();
            }

            return;
        }

        if (timer.Kind == DrainTimerKind || _activeCount == 0)
        {
            // The final GOAWAY names the last stream taken; the streams in flight finish, then the
            // connection closes (CloseIfDone, when the last one leaves).
            _h2.GoAway();
            SyncCounters();
            FlushOutput();
            CloseIfDone();
        }
    }

    private void ArmIdleTimer()
    {
        var idle = _listener.Config.Http!.IdleTimeout;
        if (idle > TimeSpan.Zero)
        {
            _worker.Timers.Arm(_idleTimer, _worker.NowMs, (long)idle.TotalMilliseconds);
        }
    }
}
