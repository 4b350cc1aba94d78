using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http.Http2;

/// <summary>
/// The deadline for the peer's ACK of our SETTINGS (RFC 9113 §6.5.3), for an h2 connection of
/// either side: armed once our SETTINGS are out, it fails the frame layer with GOAWAY
/// SETTINGS_TIMEOUT if no ACK came by then. A peer that never acks holds a connection whose limits
/// it may not have applied. The owner flushes the GOAWAY and closes as it closes after any
/// connection error; a struct so that the owner's one timer entry is all it costs.
/// </summary>
internal readonly struct Http2SettingsAckTimer
{
    private readonly TimerEntry _entry;
    private readonly int _timeoutMs;

    /// <param name="owner">Whose OnTimer hears the expiry, under <paramref name="kind"/>.</param>
    /// <param name="timeoutMs">The frame layer's SettingsTimeoutMs; 0 arms nothing.</param>
    public Http2SettingsAckTimer(ITimerHandler owner, int kind, int timeoutMs)
    {
        _entry = new TimerEntry(owner, kind);
        _timeoutMs = timeoutMs;
    }

    public int Kind => _entry.Kind;

    /// <summary>Our SETTINGS have just gone out (<see cref="Http2Connection.Start"/>).</summary>
    public void Arm(TimerWheel timers, long nowMs)
    {
        if (_timeoutMs > 0)
        {
            timers.Arm(_entry, nowMs, _timeoutMs);
        }
    }

    public void Cancel(TimerWheel timers) => timers.Cancel(_entry);

    /// <summary>
    /// The timer fired: true when the ACK never came and <paramref name="h2"/> has failed (its
    /// GOAWAY queued, its state Closed); false when the ACK came in time.
    /// </summary>
    public static bool Expire(Http2Connection h2)
    {
        if (h2.SettingsPendingSince < 0)
        {
            return false;
        }

        h2.OnSettingsTimeout();
        return true;
    }
}
